/**
 * A worker told to stop (SIGTERM, Ctrl-C): once, it takes no more jobs and finishes the ones in
 * hand, the bot meanwhile handing new jobs to the other worker; twice, it ends its jobs in hand
 * after their batch, failed with a reason the student reads. Real redis-server, real worker
 * processes; jobs held after their first epoch (TRAINER_HOLD_AFTER_EPOCH) until cancelled, so a
 * job surely runs when a signal comes.
 */
import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import type { JobEnd, JobQueue } from '../../src/jobs/queue';
import { RemoteTrainers } from '../../src/jobs/remote-trainers';
import { translator } from '../../src/i18n/translate';
import { failureOf, runOf } from '../support/job-ends';
import { RedisServer } from '../support/redis-server';
import { openTestQueue } from '../support/test-queue';
import { trainerTestEnv } from '../support/trainer-env';
import { waitUntil } from '../support/wait-until';
import { startWorker, type WorkerProcess } from '../support/worker-process';

const held = defaultSpec({ epochs: 2, hiddenUnits: 16, batchSize: 128, seed: 4 });
const quick = defaultSpec({ epochs: 1, hiddenUnits: 16, batchSize: 128, seed: 4 });
const env = trainerTestEnv({ TRAIN_EXAMPLES: '300' });

let redis: RedisServer;
const workers: WorkerProcess[] = [];
let remote: RemoteTrainers;
let queue: JobQueue;
let closeDb: () => void;

function startNamedWorker(name: string): Promise<WorkerProcess> {
  return startWorker({ ...env, DATA_DIR: path.join(env.DATA_DIR, name), REDIS_URL: redis.url, TRAINERS: '1', TRAINER_HOLD_AFTER_EPOCH: '1' }).then((worker) => {
    workers.push(worker);
    return worker;
  });
}

beforeAll(async () => {
  redis = await RedisServer.start();
  await Promise.all([startNamedWorker('w1'), startNamedWorker('w2')]);
  remote = new RemoteTrainers({ redisUrl: redis.url, lockMs: 4_000, stalledIntervalMs: 1_000, maxModelBytes: 8 * 1024 * 1024, watchMs: 100 });
  const made = openTestQueue({ database: path.join(env.DATA_DIR, 'shutdown.db'), dataDir: env.DATA_DIR, trainers: remote, queueCap: 10 });
  queue = made.queue;
  closeDb = () => made.db.close();
  remote.watch(() => queue.wake());
  await remote.ready();
});

afterAll(async () => {
  await queue.idle();
  await remote.stop();
  closeDb();
  for (const worker of workers) worker.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await redis.stop();
});

function submit(student: string, spec = quick): { jobId: number; epochs: number[]; end: Promise<JobEnd> } {
  const epochs: number[] = [];
  let resolveEnd: (end: JobEnd) => void = () => undefined;
  const end = new Promise<JobEnd>((resolve) => (resolveEnd = resolve));
  const outcome = queue.submit(
    { spec, exercise: null, user: { id: student, name: student }, guildId: 'g', channelId: 'c', locale: 'en' },
    { onEpoch: (metrics) => epochs.push(metrics.epoch), onEnd: resolveEnd },
  );
  if (!outcome.ok) throw new Error(outcome.reason);
  return { jobId: outcome.job.id, epochs, end };
}

/** Submits a held job and resolves with it once it is held on a worker, and with that worker. */
async function heldOnAWorker(student: string) {
  const job = submit(student, held);
  await waitUntil(() => job.epochs.length === 1, 'the first epoch of the held job');
  await waitUntil(() => remote.view().some((beat) => beat.jobIds.includes(String(job.jobId))), 'a heartbeat to name the held job');
  const holderId = remote.view().find((beat) => beat.jobIds.includes(String(job.jobId)))?.id;
  const holder = workers.find((worker) => worker.id === holderId);
  if (!holder) throw new Error(`no worker process holds job ${job.jobId}`);
  return { job, holder };
}

async function liveWorkers(count: number): Promise<void> {
  await waitUntil(() => remote.view().filter((beat) => !beat.stopping).length === count, `${count} live workers`);
}

test('told to stop once, a worker takes no more jobs, finishes the one in hand and sends it back, and the other worker takes the next', async () => {
  await liveWorkers(2);
  const { job, holder } = await heldOnAWorker('a');
  holder.kill('SIGTERM');
  await waitUntil(() => remote.view().find((beat) => beat.id === holder.id)?.stopping === true, 'the holder’s heartbeat to say it stops');
  const next = submit('b');
  expect(runOf(await next.end).ownerId).toBe('b');
  // The stopping worker did not take it: it still holds only its first job.
  expect(remote.view().find((beat) => beat.id === holder.id)).toMatchObject({ jobIds: [String(job.jobId)], jobsDone: 0, stopping: true });
  expect(queue.cancel(job.jobId, { id: 'a', name: 'a', isTeacher: false })).toBe('stopping');
  expect(runOf(await job.end).result.stopReason).toMatchObject({ kind: 'cancelled', epoch: 1 });
  expect(await holder.exited).toEqual({ code: 0, signal: null });
  await waitUntil(() => !remote.view().some((beat) => beat.id === holder.id), 'the stopped worker to leave the list');
});

test('told to stop twice, a worker ends its job in hand after the batch, failed with a reason its student reads, and exits', async () => {
  await startNamedWorker('w3');
  await liveWorkers(2);
  const { job, holder } = await heldOnAWorker('c');
  holder.kill('SIGTERM');
  await waitUntil(() => remote.view().find((beat) => beat.id === holder.id)?.stopping === true, 'the holder’s heartbeat to say it stops');
  holder.kill('SIGTERM');
  expect(failureOf(await job.end)).toMatchObject({ code: 'worker-stopped' });
  expect(translator('en')('failure.worker-stopped')).toMatch(/shut down/);
  expect(await holder.exited).toEqual({ code: 0, signal: null });
  const next = submit('d');
  expect(runOf(await next.end).ownerId).toBe('d');
});
