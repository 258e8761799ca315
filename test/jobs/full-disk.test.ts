/**
 * The queue on a full disk, with the real trainer process and SQLite on a small disk (a real
 * tmpfs where the machine allows it): a run that cannot be stored fails its job with the reason,
 * the database stays whole, nothing else starts while nothing can be written, and the queue goes
 * on by itself once space returns.
 */
import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import { translator } from '../../src/i18n/translate';
import type { JobEnd } from '../../src/jobs/queue';
import { TrainerPool } from '../../src/jobs/trainer-pool';
import { describeFailure } from '../../src/commands/stop-description';
import { failureOf, runOf } from '../support/job-ends';
import { mountSmallDisk } from '../support/small-disk';
import { trainerTestEnv } from '../support/trainer-env';
import { openTestQueue } from '../support/test-queue';

const DEADLINE_MS = 3 * 60_000;
const disk = mountSmallDisk(4 * 1024 * 1024);
const env = trainerTestEnv({ TRAINER_HOLD_AFTER_EPOCH: '1', ...disk.trainerEnv });
const trainer = new TrainerPool({ size: 1, env });
const logged: string[] = [];
const { db, jobs, queue } = openTestQueue({
  database: path.join(disk.dir, 'lab.db'),
  dataDir: env.DATA_DIR,
  trainers: trainer,
  log: { info: () => undefined, error: (message, cause) => logged.push(`${message}: ${cause instanceof Error ? cause.message : String(cause)}`) },
  storageRetryMs: 100,
});
const place = { guildId: 'g1', channelId: 'c1', locale: 'en' };
const spec = defaultSpec({ epochs: 2, hiddenUnits: 16, batchSize: 128, seed: 2 });

afterAll(async () => {
  await queue.stop();
  await trainer.stop();
  db.close();
  disk.remove();
});

/** Resolves with the end of a job, or fails after a deadline (minutes) saying which job it waited for. */
function endOf(name: string, onEpoch?: () => void): { jobId: () => number; end: Promise<JobEnd> } {
  let jobId = 0;
  const end = new Promise<JobEnd>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out after ${DEADLINE_MS} ms waiting for the end of ${name}'s job`)), DEADLINE_MS).unref();
    const outcome = queue.submit(
      { spec, exercise: null, user: { id: name, name }, ...place },
      {
        onEpoch,
        onEnd: (ended) => {
          clearTimeout(timer);
          resolve(ended);
        },
      },
    );
    if (!outcome.ok) throw new Error(`not queued: ${outcome.reason}`);
    jobId = outcome.job.id;
  });
  // Awaited later; a job that never ends must fail its test, not the whole run.
  end.catch(() => undefined);
  return { jobId: () => jobId, end };
}

/** SQLite's own full disk needs a real small file system (see small-disk.ts). */
const onTmpfs = disk.kind === 'tmpfs' ? test : test.skip;
if (disk.kind !== 'tmpfs') console.warn('full-disk.test.ts: this machine refused to mount a tmpfs, so SQLite on a full disk is not tested here');

onTmpfs(`a run that cannot be stored fails its job with the reason, and the queue goes on once space returns (${disk.kind})`, async () => {
  let firstEpochDone: () => void = () => undefined;
  const firstEpoch = new Promise<void>((resolve) => (firstEpochDone = resolve));
  const first = endOf('ada', () => firstEpochDone());
  await firstEpoch;
  const second = endOf('grace');

  disk.fill(0);
  trainer.release();
  const failed = await first.end;
  expect(failed).toMatchObject({ kind: 'failed', failure: { code: 'disk-full' } });
  expect(describeFailure(translator('en'), failureOf(failed))).toBe(translator('en')('failure.disk-full'));
  expect(describeFailure(translator('ko'), failureOf(failed))).toBe(translator('ko')('failure.disk-full'));
  expect(logged).toEqual(expect.arrayContaining([expect.stringMatching(/job \d+ failed \(disk-full\): the result could not be stored: database or disk is full/)]));
  // Whole and readable while full; the next job waits instead of failing.
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(jobs.get(second.jobId())?.state).toBe('queued');
  expect(queue.submit({ spec, exercise: null, user: { id: 'linus', name: 'linus' }, ...place })).toEqual({ ok: false, reason: 'disk-full' });

  disk.empty();
  trainer.release(); // grace's job, held in its turn after its first epoch
  const next = await second.end;
  expect(runOf(next).result.evaluation).not.toBeNull();
  expect(jobs.get(second.jobId())?.state).toBe('done');
  // The failure was written once there was room again, and its student may queue anew.
  expect(jobs.get(first.jobId())).toMatchObject({ state: 'failed', failure: { code: 'disk-full' } });
  expect(jobs.activeForUser('ada')).toEqual([]);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
});
