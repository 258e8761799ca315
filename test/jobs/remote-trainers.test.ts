/**
 * The queue on Redis: a real redis-server, two real worker processes (`npm run worker`), the bot's
 * queue in this process. Jobs of two epochs are held after their first (TRAINER_HOLD_AFTER_EPOCH
 * on the workers) until cancelled, so a job surely runs on a worker when a test cancels, kills or
 * restarts; one-epoch jobs run straight through. Events and polled states, never timings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { defaultSpec } from '../../src/experiments/spec';
import { JobQueue, type JobEnd } from '../../src/jobs/queue';
import { RemoteTrainers } from '../../src/jobs/remote-trainers';
import { remoteJobId, TRAINING_QUEUE } from '../../src/protocol/worker-messages';
import { failureOf, runOf } from '../support/job-ends';
import { translator } from '../../src/i18n/translate';
import { RedisServer } from '../support/redis-server';
import { trainerTestEnv } from '../support/trainer-env';
import { startWorker, type WorkerProcess } from '../support/worker-process';
import { waitUntil } from '../support/wait-until';
import { openTestQueue } from '../support/test-queue';

const LOCK_MS = 4_000;
const STALLED_INTERVAL_MS = 1_000;
const held = defaultSpec({ epochs: 2, hiddenUnits: 16, batchSize: 128, seed: 3 });
const quick = defaultSpec({ epochs: 1, hiddenUnits: 16, batchSize: 128, seed: 3 });
const place = { guildId: 'g1', channelId: 'c1', locale: 'en' };
const env = trainerTestEnv({ TRAIN_EXAMPLES: '300' });

let redis: RedisServer;
let workers: WorkerProcess[] = [];
const opened: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  const workerEnv = (name: string) => ({
    ...env,
    DATA_DIR: path.join(env.DATA_DIR, name),
    REDIS_URL: redis.url,
    TRAINERS: '1',
    TRAINER_HOLD_AFTER_EPOCH: '1',
    REDIS_LOCK_MS: String(LOCK_MS),
    REDIS_STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
  });
  workers = await Promise.all([startWorker(workerEnv('w1')), startWorker(workerEnv('w2'))]);
});

afterAll(async () => {
  for (const part of opened) await part.stop();
  for (const worker of workers) worker.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await redis.stop();
});

function makeQueue(file: string) {
  const remote = new RemoteTrainers({ redisUrl: redis.url, lockMs: LOCK_MS, stalledIntervalMs: STALLED_INTERVAL_MS, maxModelBytes: 8 * 1024 * 1024, watchMs: 100 });
  const { db, jobs, runs, queue } = openTestQueue({ database: path.join(env.DATA_DIR, file), dataDir: env.DATA_DIR, trainers: remote, queueCap: 10 });
  remote.watch(() => queue.wake());
  opened.push(remote);
  return { db, jobs, runs, queue, remote };
}

/** A queue whose workers' heartbeats have been read: both trainers count. */
async function readyQueue(file: string) {
  const made = makeQueue(file);
  await made.remote.ready();
  await waitUntil(() => made.remote.view().length === workers.length && made.remote.reachable, 'the heartbeats of the workers');
  return made;
}

interface Followed {
  jobId: number;
  /** Its id in BullMQ. */
  remoteId: string;
  epochs: number[];
  ends: JobEnd[];
  end: Promise<JobEnd>;
}

function follow(jobId: number, epochs: number[] = []) {
  const ends: JobEnd[] = [];
  let resolveEnd: (end: JobEnd) => void = () => undefined;
  const end = new Promise<JobEnd>((resolve) => (resolveEnd = resolve));
  const listener = {
    onEpoch: (metrics: { epoch: number }) => epochs.push(metrics.epoch),
    onEnd: (jobEnd: JobEnd) => {
      ends.push(jobEnd);
      resolveEnd(jobEnd);
    },
  };
  const followed: Followed = { jobId, remoteId: '', epochs, ends, end };
  return { followed, listener };
}

function submit(queue: JobQueue, student: string, spec = quick): Followed {
  const { followed, listener } = follow(0);
  const outcome = queue.submit({ spec, exercise: null, user: { id: student, name: student }, ...place }, listener);
  if (!outcome.ok) throw new Error(outcome.reason);
  followed.jobId = outcome.job.id;
  followed.remoteId = remoteJobId({ kind: 'train', jobId: String(outcome.job.id), runId: outcome.runId, spec });
  return followed;
}

/** The jobs that BullMQ's event stream records with `name` (active: taken by a worker), in its order. */
async function eventsNamed(name: string): Promise<string[]> {
  const connection = new Redis(redis.url);
  try {
    const entries = await connection.xrange(`bull:${TRAINING_QUEUE}:events`, '-', '+');
    return entries.flatMap(([, fields]) => {
      const event = Object.fromEntries(fields.flatMap((value, index) => (index % 2 === 0 ? [[value, fields[index + 1]]] : [])));
      return event.event === name ? [String(event.jobId)] : [];
    });
  } finally {
    connection.disconnect();
  }
}

test('jobs go to the two workers in the order they were queued, one per student, and come back with their model files', async () => {
  const { queue, runs, remote, db } = await readyQueue('fifo.db');
  const followed = ['a', 'b', 'c', 'd'].map((student) => submit(queue, student));
  const again = queue.submit({ spec: quick, exercise: null, user: { id: 'a', name: 'a' }, ...place });
  expect(again).toMatchObject({ ok: false, reason: 'already-queued', job: { id: followed[0].jobId } });
  const ends = await Promise.all(followed.map((job) => job.end));
  expect(ends.map((end) => runOf(end).ownerId)).toEqual(['a', 'b', 'c', 'd']);
  const ours = new Set(followed.map((job) => job.remoteId));
  expect((await eventsNamed('active')).filter((id) => ours.has(id))).toEqual(followed.map((job) => job.remoteId));
  // Both workers trained, and each run's model was written here.
  await waitUntil(() => remote.view().reduce((sum, worker) => sum + worker.jobsDone, 0) === 4, 'the heartbeats after the four jobs');
  expect(remote.view().map((worker) => worker.jobsDone > 0)).toEqual([true, true]);
  for (const end of ends) {
    const modelPath = runs.getRun(runOf(end).runId)?.result.modelPath;
    expect(modelPath).toBe(path.join(env.DATA_DIR, 'models', runOf(end).runId));
    expect(fs.readdirSync(modelPath ?? '').sort()).toEqual(['model.json', 'weights.bin']);
  }
  await queue.idle();
  db.close();
});

test('a cancel reaches the worker process that runs the job and stops it after the batch in hand', async () => {
  const { queue, jobs, remote, db } = await readyQueue('cancel.db');
  const job = submit(queue, 'a', held);
  await waitUntil(() => job.epochs.length === 1, 'the first epoch, reported by the worker');
  await waitUntil(() => remote.view().some((worker) => worker.jobIds.includes(String(job.jobId))), 'a worker’s heartbeat to name the job');
  expect(remote.view().flatMap((worker) => worker.jobIds)).toEqual([String(job.jobId)]);
  expect(queue.cancel(job.jobId, { id: 'a', name: 'a', isTeacher: false })).toBe('stopping');
  // Stopped where it was held, after its first epoch: the run so far is kept, marked as cancelled.
  expect(runOf(await job.end).result.stopReason).toMatchObject({ kind: 'cancelled', epoch: 1 });
  expect(jobs.get(job.jobId)?.state).toBe('cancelled');
  await queue.idle();
  db.close();
});

test('while Redis is down, queueing is refused with a sentence in the student’s language; once it is back, bot and workers go on by themselves', async () => {
  const { queue, remote, db } = await readyQueue('redis-down.db');
  await redis.stop();
  await waitUntil(() => !remote.reachable, 'the bot to notice that Redis is gone');
  expect(queue.submit({ spec: quick, exercise: null, user: { id: 'r', name: 'r' }, ...place })).toEqual({ ok: false, reason: 'queue-unreachable' });
  expect(queue.waiting()).toEqual([]);
  const sentences = (['en', 'ko'] as const).map((locale) => translator(locale)('error.queue_unreachable'));
  expect(sentences[0]).toMatch(/training queue/);
  expect(sentences[1]).toMatch(/대기열/);
  await redis.restart();
  // Redis came back empty (nothing saved to disk): the workers' next heartbeats bring them back.
  await waitUntil(() => remote.reachable && remote.view().length === workers.length, 'the bot and both workers to reconnect');
  const job = submit(queue, 'r');
  expect(runOf(await job.end).ownerId).toBe('r');
  await queue.idle();
  db.close();
});

test('a job in training when Redis comes back empty fails as lost by the queue, its worker stops training it, and the next job trains', async () => {
  const { queue, jobs, remote, db } = await readyQueue('redis-empty.db');
  const lost = submit(queue, 'l', held);
  await waitUntil(() => lost.epochs.length === 1, 'the first epoch of the job');
  await waitUntil(() => remote.view().some((worker) => worker.jobIds.includes(String(lost.jobId))), 'a worker’s heartbeat to name the job');
  await redis.stop();
  await redis.restart();
  expect(failureOf(await lost.end)).toMatchObject({ code: 'queue-lost' });
  expect(jobs.get(lost.jobId)?.state).toBe('failed');
  expect(translator('en')('failure.queue-lost')).toMatch(/lost this job/);
  // Held after its first epoch, it would be named for ever had its worker not let it go.
  await waitUntil(() => remote.view().length === workers.length && remote.view().every((worker) => worker.jobIds.length === 0), 'both workers to be idle again');
  const next = submit(queue, 'n2');
  expect(runOf(await next.end).ownerId).toBe('n2');
  await queue.idle();
  db.close();
});

test('a bot restarted after Redis came back empty fails the job it takes up as lost by the queue, instead of training it again unsaid', async () => {
  const file = 'restart-redis-empty.db';
  const first = await readyQueue(file);
  const lost = submit(first.queue, 'e', held);
  await waitUntil(() => lost.epochs.length === 1, 'the first epoch of the job');
  await first.queue.stop();
  await first.remote.stop();
  first.db.close();
  await redis.stop();
  await redis.restart();

  const second = await readyQueue(file);
  let resolveEnd: (end: JobEnd) => void = () => undefined;
  const ended = new Promise<JobEnd>((resolve) => (resolveEnd = resolve));
  const report = second.queue.start(() => ({ onEnd: resolveEnd }));
  expect(report.resumed.map((job) => job.id)).toEqual([lost.jobId]);
  expect(failureOf(await ended)).toMatchObject({ code: 'queue-lost' });
  await waitUntil(() => second.remote.view().length === workers.length && second.remote.view().every((worker) => worker.jobIds.length === 0), 'both workers to be idle again');
  // Redis' new event stream: no worker took it again.
  expect((await eventsNamed('active')).filter((id) => id === lost.remoteId)).toEqual([]);
  await second.queue.idle();
  second.db.close();
});

test('a bot restarted twice with two jobs running and three waiting takes up the running ones where they are: none lost, none trained twice', async () => {
  const file = 'restart.db';
  const first = await readyQueue(file);
  const running = ['h1', 'h2'].map((student) => submit(first.queue, student, held));
  await waitUntil(() => running.every((job) => job.epochs.length === 1), 'the first epoch of both held jobs');
  const waiting = ['w1', 'w2', 'w3'].map((student) => submit(first.queue, student));
  expect(first.queue.waiting().map((job) => job.userId)).toEqual(['w1', 'w2', 'w3']);
  // A clean stop (the bot's SIGTERM) cancels nothing on the workers: their jobs train on.
  await first.queue.stop();
  await first.remote.stop();
  first.db.close();

  const recovered: string[] = [];
  const second = makeQueue(file);
  await second.remote.ready();
  second.queue.start((job, recoveredAs) => {
    recovered.push(`${job.userId} ${recoveredAs}`);
    return null;
  });
  await waitUntil(() => second.queue.running().length === 2, 'the running jobs to be taken up');
  // The second restart goes without a word to the workers (a crash): its connections close.
  await second.remote.stop();
  second.db.close();

  const third = makeQueue(file);
  await third.remote.ready();
  const ends = new Map<number, JobEnd[]>();
  const report = third.queue.start((job, recoveredAs) => {
    recovered.push(`${job.userId} ${recoveredAs}`);
    return { onEnd: (end) => ends.set(job.id, [...(ends.get(job.id) ?? []), end]) };
  });
  // Neither restart counts against them: taken up each time, never failed as interrupted twice.
  expect([report.rerun, report.failed]).toEqual([[], []]);
  expect(report.resumed.map((job) => job.id)).toEqual(running.map((job) => job.jobId));
  const round = ['h1 resumed', 'h2 resumed', 'w1 waiting', 'w2 waiting', 'w3 waiting'];
  expect(recovered).toEqual([...round, ...round]);
  await waitUntil(() => third.queue.running().length === 2, 'the running jobs to be taken up again');
  for (const job of running) expect(third.queue.cancel(job.jobId, { id: 'teacher', name: 'teacher', isTeacher: true })).toBe('stopping');
  await waitUntil(() => ends.size === 5, 'all five jobs to end');
  await third.queue.idle();
  const all = [...running, ...waiting];
  expect(all.map((job) => ends.get(job.jobId)?.map((end) => runOf(end).ownerId))).toEqual(['h1', 'h2', 'w1', 'w2', 'w3'].map((student) => [student]));
  // The held ones were stopped where they had been held before the restart: the same training went on.
  for (const job of running) expect(runOf(ends.get(job.jobId)?.[0] as JobEnd).result.stopReason).toMatchObject({ kind: 'cancelled', epoch: 1 });
  const completed = await eventsNamed('completed');
  expect(all.map((job) => completed.filter((id) => id === job.remoteId).length)).toEqual([1, 1, 1, 1, 1]);
  third.db.close();
});

test('a worker SIGKILLed mid-job fails that job with the reason, never trains it again, and the other worker goes on', async () => {
  const { queue, jobs, remote, db } = await readyQueue('killed.db');
  const doomed = submit(queue, 'k', held);
  await waitUntil(() => doomed.epochs.length === 1, 'the first epoch of the job');
  await waitUntil(() => remote.view().some((worker) => worker.jobIds.includes(String(doomed.jobId))), 'a worker’s heartbeat to name the job');
  const holder = remote.view().find((worker) => worker.jobIds.includes(String(doomed.jobId)));
  const victim = workers.find((worker) => worker.id === holder?.id);
  if (!victim) throw new Error(`no worker process holds job ${doomed.jobId}`);
  victim.kill('SIGKILL');
  await victim.exited;
  // BullMQ's stalled check, run by the bot, ends it once its lock has run out.
  expect(failureOf(await doomed.end)).toMatchObject({ code: 'worker-lost' });
  expect(jobs.get(doomed.jobId)?.state).toBe('failed');
  expect(translator('en')('failure.worker-lost')).toMatch(/stopped answering/);
  const next = submit(queue, 'n');
  expect(runOf(await next.end).ownerId).toBe('n');
  // Failed once, and never trained to the end by another worker.
  expect((await eventsNamed('failed')).filter((id) => id === doomed.remoteId)).toHaveLength(1);
  expect((await eventsNamed('completed')).filter((id) => id === doomed.remoteId)).toHaveLength(0);
  await queue.idle();
  db.close();
});
