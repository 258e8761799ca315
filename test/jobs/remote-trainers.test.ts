/**
 * The queue on Redis: a real redis-server, two real worker processes (`npm run worker`), the bot's
 * queue in this process. Jobs of two epochs are held after their first (TRAINER_HOLD_AFTER_EPOCH
 * on the workers) until cancelled, so a job surely runs on a worker when a test cancels, kills or
 * restarts; one-epoch jobs run straight through. Events and polled states, never timings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { defaultSpec } from '../../src/experiments/spec';
import { LabRules } from '../../src/jobs/lab-rules';
import { JobQueue, type JobEnd } from '../../src/jobs/queue';
import { RemoteTrainers } from '../../src/jobs/remote-trainers';
import { remoteJobId, TRAINING_QUEUE } from '../../src/protocol/worker-messages';
import { ClassModelStore } from '../../src/store/class-models';
import { openDatabase } from '../../src/store/database';
import { JobStore } from '../../src/store/jobs';
import { RunStore } from '../../src/store/runs';
import { ServerSettingsStore } from '../../src/store/server-settings';
import { runOf } from '../support/job-ends';
import { RedisServer } from '../support/redis-server';
import { trainerTestEnv } from '../support/trainer-env';
import { startWorker, type WorkerProcess } from '../support/worker-process';

const DEADLINE_MS = 3 * 60_000;
const LOCK_MS = 4_000;
const STALLED_INTERVAL_MS = 1_000;
const quick = defaultSpec({ epochs: 1, hiddenUnits: 16, batchSize: 128, seed: 3 });
const place = { guildId: 'g1', channelId: 'c1', locale: 'en' };
const configured = { maxEpochs: 50, maxUnits: 2048, maxBatchSize: 1024, trainExamples: 60000, jobsPerDay: null };
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
  for (const worker of workers) worker.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));
  await redis.stop();
});

/** Polls until `condition` holds; the deadline (minutes) only ends a broken test, and says what it waited for. */
async function waitUntil(condition: () => boolean, awaited: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${DEADLINE_MS} ms waiting for ${awaited}`);
    await sleep(20);
  }
}

function makeQueue(file: string) {
  const db = openDatabase(path.join(env.DATA_DIR, file));
  const runs = new RunStore(db);
  const jobs = new JobStore(db);
  const remote = new RemoteTrainers({ redisUrl: redis.url, lockMs: LOCK_MS, stalledIntervalMs: STALLED_INTERVAL_MS, maxModelBytes: 8 * 1024 * 1024, watchMs: 100 });
  const queue = new JobQueue({
    jobs,
    runs,
    classModels: new ClassModelStore(db),
    trainers: remote,
    modelDir: path.join(env.DATA_DIR, 'models'),
    classModelDir: path.join(env.DATA_DIR, 'class-model'),
    queueCap: 10,
    rules: new LabRules({ settings: new ServerSettingsStore(db), runs, configured }),
  });
  remote.start(() => queue.wake());
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
  const followed: Followed = { jobId, epochs, ends, end };
  return { followed, listener };
}

function submit(queue: JobQueue, student: string, spec = quick): Followed {
  const { followed, listener } = follow(0);
  const outcome = queue.submit({ spec, exercise: null, user: { id: student, name: student }, ...place }, listener);
  if (!outcome.ok) throw new Error(outcome.reason);
  followed.jobId = outcome.job.id;
  return followed;
}

/** The jobs the workers took, in the order BullMQ recorded it in its event stream. */
async function takenOrder(): Promise<string[]> {
  const connection = new Redis(redis.url);
  try {
    const entries = await connection.xrange(`bull:${TRAINING_QUEUE}:events`, '-', '+');
    return entries.flatMap(([, fields]) => {
      const event = Object.fromEntries(fields.flatMap((value, index) => (index % 2 === 0 ? [[value, fields[index + 1]]] : [])));
      return event.event === 'active' ? [String(event.jobId)] : [];
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
  const ours = new Set(followed.map((job) => remoteJobId(job.jobId)));
  expect((await takenOrder()).filter((id) => ours.has(id))).toEqual(followed.map((job) => remoteJobId(job.jobId)));
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
