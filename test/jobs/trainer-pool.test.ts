/**
 * The queue on a pool of two real trainer processes. Jobs of two epochs are held after their first
 * (TRAINER_HOLD_AFTER_EPOCH), so both trainers are surely busy at once when a test looks, cancels
 * or kills, whatever the machine's speed.
 */
import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import { JobQueue, type JobEnd } from '../../src/jobs/queue';
import { TrainerPool } from '../../src/jobs/trainer-pool';
import { failureOf, runOf } from '../support/job-ends';
import { trainerTestEnv } from '../support/trainer-env';
import { waitUntil } from '../support/wait-until';
import { openTestQueue } from '../support/test-queue';

const env = trainerTestEnv({ TRAINER_HOLD_AFTER_EPOCH: '1' });
const pool = new TrainerPool({ size: 2, env });
const held = defaultSpec({ epochs: 2, hiddenUnits: 16, batchSize: 128, seed: 3 });
const quick = defaultSpec({ epochs: 1, hiddenUnits: 16, batchSize: 128, seed: 3 });
const place = { guildId: 'g1', channelId: 'c1', locale: 'en' };

afterAll(() => pool.stop());

function makeQueue(file: string) {
  return openTestQueue({ database: path.join(env.DATA_DIR, file), dataDir: env.DATA_DIR, trainers: pool });
}

interface Followed {
  jobId: number;
  epochs: number[];
  end: Promise<JobEnd>;
}

function submit(queue: JobQueue, student: string, spec = held): Followed {
  const epochs: number[] = [];
  let resolveEnd: (end: JobEnd) => void = () => undefined;
  const end = new Promise<JobEnd>((resolve) => (resolveEnd = resolve));
  const outcome = queue.submit({ spec, exercise: null, user: { id: student, name: student }, ...place }, { onEpoch: (metrics) => epochs.push(metrics.epoch), onEnd: resolveEnd });
  if (!outcome.ok) throw new Error(outcome.reason);
  return { jobId: outcome.job.id, epochs, end };
}

/** The trainer process that runs `jobId` now. */
function trainerOf(jobId: number) {
  const view = pool.view().find((trainer) => trainer.jobId === jobId);
  if (!view) throw new Error(`no trainer runs job ${jobId}`);
  return pool.clients[view.number - 1];
}

test('two jobs train at once, one on each trainer, and both end with their runs', async () => {
  const { queue, db } = makeQueue('at-once.db');
  const a = submit(queue, 'a');
  const b = submit(queue, 'b');
  // Each is held after its first epoch until released: both have trained an epoch while neither has ended.
  await waitUntil(() => a.epochs.length === 1 && b.epochs.length === 1, 'the first epoch of both jobs');
  expect(pool.view().map((trainer) => trainer.jobId).sort()).toEqual([a.jobId, b.jobId].sort());
  expect(queue.running().map((job) => job.id)).toEqual([a.jobId, b.jobId]);
  expect(pool.view().map((trainer) => trainer.backend)).toEqual(['wasm', 'wasm']);
  const before = pool.view().map((trainer) => trainer.jobsDone);
  trainerOf(a.jobId).release();
  trainerOf(b.jobId).release();
  const ends = await Promise.all([a.end, b.end]);
  expect(ends.map((end) => [runOf(end).ownerId, runOf(end).result.epochs.length])).toEqual([
    ['a', 2],
    ['b', 2],
  ]);
  await queue.idle();
  expect(pool.view().map((trainer) => [trainer.jobId, trainer.jobsDone])).toEqual(before.map((done) => [null, done + 1]));
  db.close();
});

test('one trainer killed mid-job fails only its job, with the reason; the other trainer’s job goes on, and the next job runs', async () => {
  const { queue, db } = makeQueue('one-killed.db');
  const doomed = submit(queue, 'a');
  const survivor = submit(queue, 'b');
  await waitUntil(() => doomed.epochs.length === 1 && survivor.epochs.length === 1, 'the first epoch of both jobs');
  const killed = trainerOf(doomed.jobId);
  const goesOn = trainerOf(survivor.jobId);
  process.kill(killed.pid!, 'SIGKILL');
  expect(failureOf(await doomed.end)).toMatchObject({ code: 'trainer-crashed', params: { how: 'killed by SIGKILL' } });
  // The survivor is still held in its trainer, untouched by the other's crash.
  await waitUntil(() => queue.running().length === 1, 'the killed trainer’s job to leave the running ones');
  expect(queue.running().map((job) => job.id)).toEqual([survivor.jobId]);
  expect(goesOn.up).toBe(true);
  goesOn.release();
  expect(runOf(await survivor.end).result.epochs).toHaveLength(2);
  const next = submit(queue, 'c', quick);
  expect(runOf(await next.end).ownerId).toBe('c');
  await waitUntil(() => killed.up, 'the killed trainer to be restarted');
  expect(pool.restarts).toBe(1);
  await queue.idle();
  db.close();
});

test('a cancel stops one of two running jobs within a batch while the other goes on', async () => {
  const { queue, jobs, db } = makeQueue('cancel-one.db');
  const cancelled = submit(queue, 'a');
  const other = submit(queue, 'b');
  await waitUntil(() => cancelled.epochs.length === 1 && other.epochs.length === 1, 'the first epoch of both jobs');
  expect(queue.cancel(cancelled.jobId, { id: 'a', name: 'a', isTeacher: false })).toBe('stopping');
  const end = await cancelled.end;
  // Stopped after its first epoch: the run it trained so far is kept, marked as cancelled.
  expect(runOf(end).result.stopReason).toMatchObject({ kind: 'cancelled', epoch: 1 });
  expect(jobs.get(cancelled.jobId)?.state).toBe('cancelled');
  await waitUntil(() => queue.running().length === 1, 'the cancelled job to leave the running ones');
  expect(queue.running().map((job) => job.id)).toEqual([other.jobId]);
  trainerOf(other.jobId).release();
  expect(runOf(await other.end).result.epochs).toHaveLength(2);
  await queue.idle();
  db.close();
});

test('after a restart, two jobs cut off while running both run again first, one on each trainer, before the waiting one', async () => {
  const file = 'restart.db';
  const before = makeQueue(file);
  const enqueue = (id: string) => before.jobs.enqueue({ kind: 'train', payload: { runId: `run-${id}`, spec: quick, exercise: null }, userId: id, userName: id, ...place, priority: 0 });
  const cutOff = [enqueue('x'), enqueue('y')];
  for (const job of cutOff) before.jobs.claim(job.id);
  const waiting = enqueue('z');
  before.db.close();

  const after = makeQueue(file);
  const started: string[] = [];
  const report = after.queue.start((job) => ({ onStart: () => started.push(job.userId) }));
  expect(report.rerun.map((job) => job.id)).toEqual(cutOff.map((job) => job.id));
  expect(started).toEqual(['x', 'y']);
  await after.queue.idle();
  expect(started).toEqual(['x', 'y', 'z']);
  expect([...cutOff, waiting].map((job) => after.jobs.get(job.id)?.state)).toEqual(['done', 'done', 'done']);
  after.db.close();
});

test('the next free trainer takes the class model first, ahead of training queued before it', async () => {
  const { queue, db } = makeQueue('class-model-first.db');
  const a = submit(queue, 'a');
  const b = submit(queue, 'b');
  await waitUntil(() => a.epochs.length === 1 && b.epochs.length === 1, 'the first epoch of both jobs');
  const started: string[] = [];
  const waiting = queue.submit({ spec: quick, exercise: null, user: { id: 'c', name: 'c' }, ...place }, { onStart: () => started.push('training') });
  expect(waiting.ok).toBe(true);
  queue.submitClassModel({ id: 'teacher', name: 'Ms Kim' }, place, { onStart: () => started.push('class model') });
  trainerOf(a.jobId).release();
  await waitUntil(() => started.length > 0, 'the freed trainer to take its next job');
  expect(started).toEqual(['class model']);
  // Stopping cancels the jobs in hand (b, the class model); the training job stays queued.
  await queue.stop();
  expect(queue.waiting().map((job) => job.userId)).toEqual(['c']);
  db.close();
});
