/**
 * The supervisor of the real trainer process. Jobs of more than one epoch are held by the trainer
 * after their first (TRAINER_HOLD_AFTER_EPOCH), so a job is surely running when a test predicts,
 * cancels or kills, whatever the machine's speed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import { TrainerClient, TrainerError, type TrainOutcome } from '../../src/jobs/trainer-client';
import { DEBIAN_DATASET_DIR } from '../../src/trainer/dataset';
import { trainerTestEnv } from '../support/trainer-env';
import { waitUntil } from '../support/wait-until';

const env = trainerTestEnv({ TRAINER_HOLD_AFTER_EPOCH: '1' });
const modelDir = path.join(env.DATA_DIR, 'models');
const logged: string[] = [];
const trainer = new TrainerClient({
  env,
  log: { info: () => undefined, error: (message, cause) => logged.push(`${message}: ${cause instanceof Error ? cause.message : String(cause)}`) },
});
const quick = defaultSpec({ epochs: 1, hiddenUnits: 32, batchSize: 64, seed: 1 });
/** Held after its first epoch until cancelled or killed. */
const held = defaultSpec({ epochs: 30, hiddenUnits: 256, batchSize: 8, seed: 1 });

afterAll(() => trainer.stop());

/** Starts a held job and resolves once its first epoch is done: the job is running, and stays so. */
async function startHeld(jobId: string, runId: string): Promise<{ outcome: Promise<TrainOutcome> }> {
  const epochs: number[] = [];
  const outcome = trainer.train(jobId, runId, held, modelDir, { onEpoch: (metrics) => epochs.push(metrics.epoch) });
  await waitUntil(() => epochs.length === 1, `the first epoch of job ${jobId}`);
  // Wrapped: an async function that returned the promise itself would wait for the job's end.
  return { outcome };
}

/** The trainer's own children (tsx's esbuild service), which share its end of the link until they exit. */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((thread) => fs.readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

/** Dead with all its threads (the last of them closes the process's files), or reaped. */
function isGone(pid: number): boolean {
  try {
    const zombie = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] === 'Z';
    return zombie && fs.readdirSync(`/proc/${pid}/task`).length <= 1;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Kills the trainer with its helper and blocks this process until they are gone: the far end of
 * the link is closed, and this process has not heard of it yet, as when a message is posted just
 * after a trainer died.
 */
function killTrainerAndBlockUntilGone(pid: number): void {
  const processes = [pid, ...childrenOf(pid)];
  for (const each of processes) process.kill(each, 'SIGKILL');
  while (!processes.every(isGone));
}

test('starts the trainer process, which loads the real data and reports its backend', async () => {
  const ready = await trainer.start();
  expect(ready.backend.name).toBe('wasm');
  expect(ready.dataSource).toBe(DEBIAN_DATASET_DIR);
  expect(ready.trainExamples).toBe(1000);
});

test('runs a job to its result, saves the model and leaks no tensor', async () => {
  const epochs: number[] = [];
  const outcome = await trainer.train('j1', 'run-a', quick, modelDir, { onEpoch: (m) => epochs.push(m.epoch) });
  if (outcome.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(outcome)}`);
  expect(epochs).toEqual([1]);
  expect(outcome.result.evaluation!.testAccuracy).toBeGreaterThan(0.5);
  expect(outcome.result.modelPath).toBe(path.join(modelDir, 'run-a'));
  expect(outcome.liveTensors).toBe(0);
});

test('trains a job on its server’s number of training images, never more than the trainer’s own cap', async () => {
  const fewer = await trainer.train('j-few', 'run-few', quick, null, {}, 200);
  const more = await trainer.train('j-more', 'run-more', quick, null, {}, 5000);
  expect(fewer).toMatchObject({ kind: 'run', result: { trainExamples: 200 } });
  expect(more).toMatchObject({ kind: 'run', result: { trainExamples: 1000 } });
});

test('answers a prediction while a job runs, and cancels that job before its next epoch', async () => {
  const { outcome: running } = await startHeld('j2', 'run-b');
  const prediction = await trainer.predict({ kind: 'run', path: path.join(modelDir, 'run-a') }, { kind: 'test-image', index: 0 }, true);
  expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(prediction.label).toBe(9);
  trainer.cancel('j2');
  const outcome = await running;
  expect(outcome).toMatchObject({ kind: 'run', result: { stopReason: { kind: 'cancelled', epoch: 1 } }, liveTensors: 0 });
  if (outcome.kind === 'run') expect(outcome.result.epochs).toHaveLength(1);
});

test('a killed trainer fails only the job in hand, with the reason, and is restarted for the next', async () => {
  const { outcome: running } = await startHeld('j3', 'run-c');
  process.kill(trainer.pid!, 'SIGKILL');
  const outcome = await running;
  expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'trainer-crashed', params: { how: 'killed by SIGKILL' } } });
  const next = await trainer.train('j4', 'run-d', quick, modelDir);
  expect(next.kind).toBe('run');
  expect(trainer.restarts).toBe(1);
});

test('a cancel and a prediction posted to a trainer that just died fail with the reason, and the bot lives on', async () => {
  const { outcome: running } = await startHeld('j5', 'run-e');
  killTrainerAndBlockUntilGone(trainer.pid!);
  trainer.cancel('j5');
  const prediction = trainer.predict({ kind: 'run', path: path.join(modelDir, 'run-a') }, { kind: 'test-image', index: 0 }, true);

  await expect(prediction).rejects.toBeInstanceOf(TrainerError);
  await expect(prediction).rejects.toMatchObject({ failure: { code: 'trainer-unreachable', params: { reason: expect.stringContaining('EPIPE') } } });
  expect(await running).toMatchObject({ kind: 'failed', failure: { code: 'trainer-crashed' } });
  expect(logged).toEqual(expect.arrayContaining([expect.stringMatching(/could not send a cancel message to the trainer: .*EPIPE/)]));
  // A fresh trainer takes the next job.
  const next = await trainer.train('j6', 'run-f', quick, modelDir);
  expect(next.kind).toBe('run');
  expect(trainer.restarts).toBe(2);
});

test('a trainer that cannot start says why, and is not restarted in a loop', async () => {
  const broken = new TrainerClient({ env: { ...env, FASHION_MNIST_DIR: env.DATA_DIR } });
  await expect(broken.start()).rejects.toThrow(/FASHION_MNIST_DIR is .* does not hold the four files/);
  await waitUntil(() => broken.pid === undefined || broken.restarts > 0, 'the broken trainer to exit');
  expect(broken.restarts).toBe(0);
  expect(broken.pid).toBeUndefined();
});
