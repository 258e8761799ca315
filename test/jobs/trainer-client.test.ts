import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import { TrainerClient } from '../../src/jobs/trainer-client';
import { DEBIAN_DATASET_DIR } from '../../src/trainer/dataset';
import { trainerTestEnv } from '../support/trainer-env';

const env = trainerTestEnv();
const modelDir = path.join(env.DATA_DIR, 'models');
const trainer = new TrainerClient({ env });
const quick = defaultSpec({ epochs: 1, hiddenUnits: 32, batchSize: 64, seed: 1 });
const long = defaultSpec({ epochs: 30, hiddenUnits: 256, batchSize: 8, seed: 1 });

afterAll(() => trainer.stop());

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

test('answers a prediction between two batches of a running job, and cancels within a batch', async () => {
  let batches = 0;
  const running = trainer.train('j2', 'run-b', long, modelDir, { onBatch: () => (batches += 1) });
  await waitUntil(() => batches >= 1);
  const prediction = await trainer.predict({ kind: 'run', path: path.join(modelDir, 'run-a') }, { kind: 'test-image', index: 0 }, true);
  expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(prediction.label).toBe(9);
  const cancelledAt = Date.now();
  trainer.cancel('j2');
  const outcome = await running;
  expect(Date.now() - cancelledAt).toBeLessThan(5000);
  expect(outcome).toMatchObject({ kind: 'run', result: { stopReason: { kind: 'cancelled' } }, liveTensors: 0 });
});

test('a killed trainer fails only the job in hand, with the reason, and is restarted for the next', async () => {
  let batches = 0;
  const running = trainer.train('j3', 'run-c', long, modelDir, { onBatch: () => (batches += 1) });
  await waitUntil(() => batches >= 1);
  process.kill(trainer.pid!, 'SIGKILL');
  const outcome = await running;
  expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'trainer-crashed', params: { how: 'killed by SIGKILL' } } });
  const next = await trainer.train('j4', 'run-d', quick, modelDir);
  expect(next.kind).toBe('run');
  expect(trainer.restarts).toBe(1);
});

async function waitUntil(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a trainer that cannot start says why, and is not restarted in a loop', async () => {
  const broken = new TrainerClient({ env: { ...env, FASHION_MNIST_DIR: env.DATA_DIR } });
  await expect(broken.start()).rejects.toThrow(/FASHION_MNIST_DIR is .* does not hold the four files/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(broken.restarts).toBe(0);
  expect(broken.pid).toBeUndefined();
});
