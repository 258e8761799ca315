import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import { QUOTA_WINDOW_MS } from '../../src/jobs/lab-rules';
import { JobQueue, type JobEnd } from '../../src/jobs/queue';
import { TrainerPool } from '../../src/jobs/trainer-pool';
import { describeFailure } from '../../src/commands/stop-description';
import { translator } from '../../src/i18n/translate';
import { failureOf, runOf } from '../support/job-ends';
import { trainerTestEnv } from '../support/trainer-env';
import { openTestQueue, TEST_LIMITS } from '../support/test-queue';

const env = trainerTestEnv();
const spec = defaultSpec({ epochs: 1, hiddenUnits: 16, batchSize: 128, seed: 2 });
const place = { guildId: 'g1', channelId: 'c1', locale: 'en' };

const user = (id: string) => ({ id, name: `student ${id}` });
const request = (id: string) => ({ spec, exercise: null, user: user(id), ...place });

describe.each([1, 2])('with %i trainer(s)', (size) => {
  const trainer = new TrainerPool({ size, env });

  function makeQueue(name: string, queueCap = 5, onUnwatchedEnd?: (end: JobEnd) => void, configured = TEST_LIMITS) {
    return openTestQueue({ database: path.join(env.DATA_DIR, `${size}-${name}`), dataDir: env.DATA_DIR, trainers: trainer, queueCap, onUnwatchedEnd, configured });
  }

  afterAll(() => trainer.stop());

  test(`runs two students’ jobs ${size === 1 ? 'one after the other' : 'at once, one on each trainer,'} and stores both runs`, async () => {
    const { queue, runs, db } = makeQueue('two-users.db');
    const events: string[] = [];
    const ended = (name: string) =>
      new Promise<JobEnd>((resolve) => {
        const outcome = queue.submit(request(name), {
          onStart: () => events.push(`${name} start`),
          onEnd: (end) => {
            events.push(`${name} end`);
            resolve(end);
          },
        });
        if (!outcome.ok) throw new Error(outcome.reason);
        events.push(`${name} position ${outcome.position}`);
      });
    const [first, second] = await Promise.all([ended('a'), ended('b')]);
    if (size === 1) expect(events).toEqual(['a start', 'a position 1', 'b position 2', 'a end', 'b start', 'b end']);
    // A second trainer takes b at once: both train together, and either may end first.
    else expect([...events.slice(0, 4), ...events.slice(4).sort()]).toEqual(['a start', 'a position 1', 'b start', 'b position 1', 'a end', 'b end']);
    expect(runOf(first).result.evaluation).not.toBeNull();
    expect(runs.history({ guildId: 'g1', limit: 10 }).map((run) => run.ownerId).sort()).toEqual(['a', 'b']);
    expect(runOf(second).ownerId).toBe('b');
    await queue.idle();
    db.close();
  });

  test('refuses a second job from the same student, and any job over the queue cap, changing nothing', async () => {
    const { queue, jobs, db } = makeQueue('limits.db', 1);
    const first = queue.submit(request('a'));
    expect(first.ok).toBe(true);
    expect(queue.submit(request('a'))).toMatchObject({ ok: false, reason: 'already-queued' });
    // Every trainer busy, and one job waiting: the queue is full.
    for (let other = 1; other <= size; other += 1) queue.submit(request(`b${other}`));
    expect(queue.submit(request('c'))).toEqual({ ok: false, reason: 'queue-full', cap: 1 });
    expect([jobs.queued().length, queue.running().length]).toEqual([1, size]);
    await queue.stop();
    db.close();
  });

  test('after a restart, a job cut off while running runs again first, then the queued ones, each watched from the start', async () => {
    const file = 'restart.db';
    const before = makeQueue(file);
    const enqueue = (id: string) =>
      before.jobs.enqueue({ kind: 'train', payload: { runId: `run-${id}`, spec, exercise: null }, userId: id, userName: id, ...place, priority: 0 });
    const cutOff = enqueue('x');
    before.jobs.claim(cutOff.id);
    const waiting = enqueue('y');
    before.db.close();

    const after = makeQueue(file);
    const events: string[] = [];
    const report = after.queue.start((job, recoveredAs) => {
      events.push(`watch ${job.userId}${recoveredAs === 'rerun' ? ' (again)' : ''}`);
      return { onStart: () => events.push(`start ${job.userId}`), onEnd: (end) => events.push(`end ${job.userId} ${end.kind === 'run' ? end.run.runId : end.kind}`) };
    });
    expect(report.rerun.map((job) => job.id)).toEqual([cutOff.id]);
    expect(report.failed).toEqual([]);
    await after.queue.idle();
    if (size === 1) expect(events).toEqual(['watch x (again)', 'watch y', 'start x', 'end x run-x', 'start y', 'end y run-y']);
    else expect([...events.slice(0, 4), ...events.slice(4).sort()]).toEqual(['watch x (again)', 'watch y', 'start x', 'start y', 'end x run-x', 'end y run-y']);
    expect([after.jobs.get(cutOff.id)?.state, after.jobs.get(waiting.id)?.state]).toEqual(['done', 'done']);
    after.db.close();
  });

  test('a job that a second restart cut off is failed with the reason, for whoever watches jobs nobody follows', async () => {
    const file = 'restart-twice.db';
    const setup = makeQueue(file);
    const job = setup.jobs.enqueue({ kind: 'train', payload: { runId: 'run-z', spec, exercise: null }, userId: 'z', userName: 'z', ...place, priority: 0 });
    setup.jobs.claim(job.id);
    setup.jobs.recoverAfterRestart('the first restart');
    setup.jobs.claim(job.id);
    setup.db.close();

    const unwatched: JobEnd[] = [];
    const after = makeQueue(file, 5, (end) => unwatched.push(end));
    expect(after.queue.start().failed.map((row) => row.id)).toEqual([job.id]);
    expect(unwatched.map((end) => [end.job.id, end.kind === 'failed' ? end.failure.code : end.kind])).toEqual([[job.id, 'interrupted-by-restart']]);
    expect(describeFailure(translator('en'), failureOf(unwatched[0]))).toBe(translator('en')('failure.interrupted-by-restart'));
    expect(after.jobs.get(job.id)).toMatchObject({ state: 'failed', failure: { code: 'interrupted-by-restart' } });
    await after.queue.idle();
    after.db.close();
  });

  test('a queued job whose settings no longer fit limits lowered since fails with the limits of today, in both languages', async () => {
    const ends: JobEnd[] = [];
    const { jobs, queue, db } = makeQueue('lowered-configuration.db', 5, (end) => ends.push(end), { ...TEST_LIMITS, maxEpochs: 20 });
    const queuedUnderOldLimits = defaultSpec({ epochs: 40, hiddenUnits: 16, batchSize: 128 });
    const job = jobs.enqueue({ kind: 'train', payload: { runId: 'run-old', spec: queuedUnderOldLimits, exercise: null }, userId: 'z', userName: 'z', ...place, priority: 0 });
    queue.start();
    await queue.idle();
    expect(ends).toHaveLength(1);
    expect(failureOf(ends[0])).toMatchObject({ code: 'over-limits', params: { maxEpochs: 20, maxUnits: 2048, maxBatchSize: 1024 } });
    expect(describeFailure(translator('en'), failureOf(ends[0]))).toContain('at most 20 epochs');
    expect(describeFailure(translator('ko'), failureOf(ends[0]))).toContain('에포크 최대 20');
    expect(jobs.get(job.id)).toMatchObject({ state: 'failed', failure: { code: 'over-limits' } });
    db.close();
  });

  test('a student cancels a queued job; only its owner or a teacher may', async () => {
    const { queue, jobs, db } = makeQueue('cancel.db');
    const running = queue.submit(request('a'));
    // The other trainers, if any, are kept busy so that b waits.
    for (let other = 2; other <= size; other += 1) queue.submit(request(`a${other}`));
    const waiting = queue.submit(request('b'));
    if (!running.ok || !waiting.ok) throw new Error('not queued');
    expect(queue.cancel(waiting.job.id, { id: 'a', name: 'a', isTeacher: false })).toBe('not-yours');
    expect(queue.cancel(waiting.job.id, { id: 'b', name: 'b', isTeacher: false })).toBe('cancelled');
    expect(jobs.get(waiting.job.id)?.state).toBe('cancelled');
    expect(queue.cancel(running.job.id, { id: 'teacher', name: 'Ms Kim', isTeacher: true })).toBe('stopping');
    await queue.idle();
    expect(jobs.get(running.job.id)?.state).toBe('cancelled');
    db.close();
  });

  /** Submits a job and resolves with its end. */
  function ending(queue: JobQueue, submitted: Parameters<JobQueue['submit']>[0]): { jobId: number; end: Promise<JobEnd> } {
    let resolveEnd: (end: JobEnd) => void = () => undefined;
    const end = new Promise<JobEnd>((resolve) => (resolveEnd = resolve));
    const outcome = queue.submit(submitted, { onEnd: resolveEnd });
    if (!outcome.ok) throw new Error(outcome.reason);
    return { jobId: outcome.job.id, end };
  }

  test('holds a paused server’s waiting jobs while other servers’ run, and starts them when woken after resume', async () => {
    const { queue, jobs, settings, db } = makeQueue('paused.db');
    settings.pause('g1', { id: 'teacher', name: 'Ms Kim' });
    const held = ending(queue, request('a'));
    const elsewhere = ending(queue, { ...request('b'), guildId: 'g2' });
    expect(runOf(await elsewhere.end).result.evaluation).not.toBeNull();
    // The queue has run everything it may start (had it started the held job, that would be done too).
    await queue.idle();
    expect(jobs.get(held.jobId)?.state).toBe('queued');
    expect(queue.running()).toEqual([]);

    settings.resume('g1');
    queue.wake();
    expect(runOf(await held.end).ownerId).toBe('a');
    await queue.idle();
    db.close();
  });

  test('a waiting job that no longer fits its server’s lowered limits fails with why when its turn comes; one that fits trains on the server’s images', async () => {
    const { queue, jobs, settings, db } = makeQueue('lowered.db');
    settings.pause('g1', { id: 'teacher', name: 'Ms Kim' });
    const tooBig = ending(queue, request('a'));
    const fits = ending(queue, { ...request('b'), spec: defaultSpec({ epochs: 1, hiddenUnits: 8, batchSize: 128, seed: 2 }) });
    settings.setOverrides('g1', { maxUnits: 8, trainExamples: 300 });
    settings.resume('g1');
    queue.wake();

    const refused = await tooBig.end;
    expect(refused).toMatchObject({ kind: 'failed', failure: { code: 'over-limits', params: { maxEpochs: 50, maxUnits: 8, maxBatchSize: 1024 } } });
    expect(jobs.get(tooBig.jobId)).toMatchObject({ state: 'failed', failure: { code: 'over-limits' } });
    expect(runOf(await fits.end).result.trainExamples).toBe(300);
    await queue.idle();
    db.close();
  });

  test('refuses a job past the student’s daily quota, saying when the next is possible', async () => {
    const { queue, settings, db } = makeQueue('quota.db');
    settings.setOverrides('g1', { jobsPerDay: 1 });
    const first = ending(queue, request('a'));
    const run = runOf(await first.end);
    expect(queue.submit(request('a'))).toEqual({ ok: false, reason: 'daily-quota', jobsPerDay: 1, nextAt: run.createdAt + QUOTA_WINDOW_MS });
    expect(queue.waiting()).toEqual([]);
    await queue.idle();
    db.close();
  });
});
