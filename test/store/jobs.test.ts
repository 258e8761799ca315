import path from 'node:path';
import { openDatabase, type Database } from '../../src/store/database';
import { CorruptRecordError } from '../../src/store/json-column';
import { INTERRUPTED_BY_RESTART, JobStore } from '../../src/store/jobs';
import { makeTempDir, removeDir, sampleJob } from './fixtures/samples';

describe('JobStore', () => {
  let dir: string;
  let db: Database;
  let jobs: JobStore;
  let clock: number;

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
    clock = 1_000;
    jobs = new JobStore(db, { now: () => clock++ });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('stores a new job as queued with everything it was given', () => {
    const job = jobs.enqueue(sampleJob({ kind: 'predict', payload: { index: 7 }, priority: 5, replyRef: { messageId: 'm1' } }));
    expect(job).toEqual({
      id: expect.any(Number),
      kind: 'predict',
      payload: { index: 7 },
      userId: 'u1',
      userName: 'Ada',
      guildId: 'g1',
      channelId: 'c1',
      locale: 'en-US',
      priority: 5,
      state: 'queued',
      createdAt: 1_000,
      startedAt: null,
      finishedAt: null,
      failure: null,
      runId: null,
      replyRef: { messageId: 'm1' },
      interruptions: 0,
    });
    expect(jobs.get(job.id)).toEqual(job);
  });

  it('runs higher priority first, then oldest first', () => {
    const train1 = jobs.enqueue(sampleJob({ kind: 'train', priority: 0 }));
    const train2 = jobs.enqueue(sampleJob({ kind: 'train', priority: 0 }));
    const predict = jobs.enqueue(sampleJob({ kind: 'predict', priority: 10 }));
    const classify = jobs.enqueue(sampleJob({ kind: 'classify', priority: 10 }));
    const classModel = jobs.enqueue(sampleJob({ kind: 'class-model', priority: -5 }));

    const order = [predict.id, classify.id, train1.id, train2.id, classModel.id];
    expect(jobs.queued().map((job) => job.id)).toEqual(order);
    expect(jobs.next()?.id).toBe(predict.id);
    expect(order.map((id) => jobs.position(id))).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes a claimed job out of the queue and moves the others up', () => {
    const first = jobs.enqueue(sampleJob());
    const second = jobs.enqueue(sampleJob());
    expect(jobs.claim(first.id)).toBe(true);
    expect(jobs.get(first.id)).toMatchObject({ state: 'running', startedAt: expect.any(Number) });
    expect(jobs.position(first.id)).toBeUndefined();
    expect(jobs.position(second.id)).toBe(1);
    expect(jobs.next()?.id).toBe(second.id);
  });

  it('lets only one of two connections claim the same job', () => {
    const job = jobs.enqueue(sampleJob());
    const other = openDatabase(path.join(dir, 'lab.db'));
    try {
      const otherJobs = new JobStore(other);
      const claims = [otherJobs.claim(job.id), jobs.claim(job.id)];
      expect(claims).toEqual([true, false]);
    } finally {
      other.close();
    }
  });

  it('finishes only running jobs, recording the run or the failure', () => {
    const done = jobs.enqueue(sampleJob());
    const failed = jobs.enqueue(sampleJob());
    const queued = jobs.enqueue(sampleJob());
    jobs.claim(done.id);
    jobs.claim(failed.id);

    expect(jobs.finish(done.id, 'done', { runId: 'r1' })).toBe(true);
    expect(jobs.finish(failed.id, 'failed', { failure: { code: 'trainer-crashed', message: 'exit 9' } })).toBe(true);
    expect(jobs.finish(queued.id, 'done')).toBe(false);
    expect(jobs.finish(done.id, 'failed')).toBe(false);

    expect(jobs.get(done.id)).toMatchObject({ state: 'done', runId: 'r1', failure: null, finishedAt: expect.any(Number) });
    expect(jobs.get(failed.id)).toMatchObject({ state: 'failed', failure: { code: 'trainer-crashed', message: 'exit 9' } });
    expect(jobs.get(queued.id)?.state).toBe('queued');
  });

  it('cancels a queued job and says why it cannot cancel the others', () => {
    const queued = jobs.enqueue(sampleJob());
    const running = jobs.enqueue(sampleJob());
    jobs.claim(running.id);

    expect(jobs.cancel(queued.id)).toBe('cancelled');
    expect(jobs.cancel(queued.id)).toBe('already-finished');
    expect(jobs.cancel(running.id)).toBe('running');
    expect(jobs.cancel(9999)).toBe('not-found');
    expect(jobs.get(queued.id)).toMatchObject({ state: 'cancelled', finishedAt: expect.any(Number) });
    expect(jobs.claim(queued.id)).toBe(false);
    expect(jobs.queued()).toEqual([]);
  });

  it("lists a user's queued and running jobs, running first", () => {
    const queued = jobs.enqueue(sampleJob({ userId: 'u1' }));
    const running = jobs.enqueue(sampleJob({ userId: 'u1' }));
    const finished = jobs.enqueue(sampleJob({ userId: 'u1' }));
    jobs.enqueue(sampleJob({ userId: 'someone-else' }));
    jobs.claim(running.id);
    jobs.claim(finished.id);
    jobs.finish(finished.id, 'done');

    expect(jobs.activeForUser('u1').map((job) => job.id)).toEqual([running.id, queued.id]);
    expect(jobs.activeForUser('nobody')).toEqual([]);
  });

  it('remembers where the reply lives', () => {
    const job = jobs.enqueue(sampleJob());
    expect(jobs.setReplyRef(job.id, { channelId: 'c1', messageId: 'm9' })).toBe(true);
    expect(jobs.get(job.id)?.replyRef).toEqual({ channelId: 'c1', messageId: 'm9' });
    expect(jobs.setReplyRef(9999, {})).toBe(false);
  });

  it('refuses a payload that JSON cannot hold', () => {
    expect(() => jobs.enqueue(sampleJob({ payload: undefined }))).toThrow(/payload is not JSON-serialisable/);
    expect(jobs.queued()).toEqual([]);
  });

  it('reports a stored failure of the wrong shape as corrupt, naming the job', () => {
    const job = jobs.enqueue(sampleJob());
    db.prepare('UPDATE jobs SET failure = ? WHERE id = ?').run('{"code": 42}', job.id);
    expect(() => jobs.get(job.id)).toThrow(CorruptRecordError);
    expect(() => jobs.get(job.id)).toThrow(`Stored data in job ${job.id} (failure) is invalid`);
  });
});

describe('JobStore after a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  /** Opens the file as a restarted bot would, recovers, and returns the report and the store. */
  function restart(file: string, reason: string, options: { trainedOn?: boolean } = {}) {
    const db = openDatabase(file);
    const jobs = new JobStore(db);
    return { db, jobs, report: jobs.recoverAfterRestart(reason, options) };
  }

  it('queues the job that was running again, at the head of the queue, and keeps the queued ones in order', () => {
    const file = path.join(dir, 'lab.db');
    const before = openDatabase(file);
    const beforeJobs = new JobStore(before);
    const first = beforeJobs.enqueue(sampleJob({ userName: 'first' }));
    const second = beforeJobs.enqueue(sampleJob({ userName: 'second' }));
    const third = beforeJobs.enqueue(sampleJob({ userName: 'third' }));
    expect(beforeJobs.claim(beforeJobs.next()!.id)).toBe(true);
    before.close();

    const { db, jobs, report } = restart(file, 'The bot restarted while this job was running.');
    try {
      expect(report.rerun.map((job) => [job.id, job.state, job.startedAt, job.interruptions])).toEqual([[first.id, 'queued', null, 1]]);
      expect(report.failed).toEqual([]);
      expect(report.requeued.map((job) => job.id)).toEqual([first.id, second.id, third.id]);
      expect(jobs.next()?.id).toBe(first.id);
      expect(jobs.position(first.id)).toBe(1);
    } finally {
      db.close();
    }
  });

  it('fails a job that a restart cut off for the second time, with the reason, instead of running it a third time', () => {
    const file = path.join(dir, 'lab.db');
    const setup = openDatabase(file);
    const setupJobs = new JobStore(setup);
    const job = setupJobs.enqueue(sampleJob({ userName: 'unlucky' }));
    const waiting = setupJobs.enqueue(sampleJob({ userName: 'patient' }));
    setupJobs.claim(job.id);
    setup.close();

    const once = restart(file, 'first restart');
    once.jobs.claim(job.id);
    once.db.close();

    const { db, jobs, report } = restart(file, 'The bot restarted twice while this job was running.');
    try {
      expect(report.rerun).toEqual([]);
      expect(report.failed.map((row) => row.id)).toEqual([job.id]);
      expect(report.failed[0]).toMatchObject({
        state: 'failed',
        finishedAt: expect.any(Number),
        interruptions: 2,
        failure: { code: INTERRUPTED_BY_RESTART, message: 'The bot restarted twice while this job was running.' },
      });
      expect(report.requeued.map((row) => row.id)).toEqual([waiting.id]);

      const again = jobs.recoverAfterRestart('a third restart, with nothing running');
      expect(again).toEqual({ rerun: [], failed: [], resumed: [], requeued: [jobs.get(waiting.id)] });
      expect(jobs.get(job.id)?.failure?.message).toBe('The bot restarted twice while this job was running.');
    } finally {
      db.close();
    }
  });

  it('takes up a job that trained on without the bot (on a worker) after any number of restarts, counting none of them', () => {
    const file = path.join(dir, 'lab.db');
    const setup = openDatabase(file);
    const setupJobs = new JobStore(setup);
    const job = setupJobs.enqueue(sampleJob({ userName: 'remote' }));
    const waiting = setupJobs.enqueue(sampleJob({ userName: 'patient' }));
    setupJobs.claim(job.id);
    setup.close();

    for (const round of [1, 2, 3]) {
      const { db, jobs, report } = restart(file, `restart ${round}`, { trainedOn: true });
      try {
        expect(report.rerun).toEqual([]);
        expect(report.failed).toEqual([]);
        expect(report.resumed.map((row) => [row.id, row.state, row.startedAt, row.interruptions])).toEqual([[job.id, 'queued', null, 0]]);
        expect(report.requeued.map((row) => row.id)).toEqual([job.id, waiting.id]);
        expect(jobs.claim(job.id)).toBe(true);
      } finally {
        db.close();
      }
    }
  });
});
