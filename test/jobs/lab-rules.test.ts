import path from 'node:path';
import { configuredLimits } from '../../src/experiments/server-limits';
import { defaultSpec } from '../../src/experiments/spec';
import { LabRules, QUOTA_WINDOW_MS } from '../../src/jobs/lab-rules';
import { openDatabase, type Database } from '../../src/store/database';
import { JobStore } from '../../src/store/jobs';
import { RunStore } from '../../src/store/runs';
import { ServerSettingsStore } from '../../src/store/server-settings';
import { makeTempDir, removeDir, sampleJob, sampleRun } from '../store/fixtures/samples';

const HOUR_MS = 60 * 60 * 1000;
const configured = configuredLimits({ MAX_EPOCHS: 50, MAX_UNITS: 2048, MAX_BATCH_SIZE: 1024, TRAIN_EXAMPLES: 6000 });
const kim = { id: 't1', name: 'Ms Kim' };

describe('LabRules', () => {
  let dir: string;
  let db: Database;
  let clock: number;
  let settings: ServerSettingsStore;
  let runs: RunStore;
  let jobs: JobStore;
  let rules: LabRules;

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
    clock = Date.UTC(2026, 11, 1, 9, 0);
    const now = () => clock;
    settings = new ServerSettingsStore(db, { now });
    runs = new RunStore(db, { now });
    jobs = new JobStore(db, { now });
    rules = new LabRules({ settings, runs, configured, now });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  const request = (userId: string, spec = defaultSpec({ epochs: 1 }), guildId: string | null = 'g1') => ({ user: { id: userId }, guildId, spec });
  const waitingJob = (spec: Record<string, unknown>, guildId = 'g1') => jobs.enqueue(sampleJob({ guildId, payload: { runId: 'r', spec, exercise: null } }));

  describe('the daily quota', () => {
    beforeEach(() => {
      settings.setOverrides('g1', { jobsPerDay: 2 });
    });

    it('admits jobs until the student has run as many in the last 24 hours, then says when the next is possible', () => {
      runs.saveRun(sampleRun('a1', { ownerId: 'ada' }));
      expect(rules.admit(request('ada'))).toBeNull();
      const first = clock;
      clock += 3 * HOUR_MS;
      runs.saveRun(sampleRun('a2', { ownerId: 'ada' }));
      expect(rules.admit(request('ada'))).toEqual({ reason: 'daily-quota', jobsPerDay: 2, nextAt: first + QUOTA_WINDOW_MS });
      expect(rules.quotaOf('g1', 'ada')).toEqual({ used: 2, jobsPerDay: 2, nextAt: first + QUOTA_WINDOW_MS });
    });

    it('rolls: the oldest run leaves the count 24 hours after it was saved, not at midnight', () => {
      runs.saveRun(sampleRun('a1', { ownerId: 'ada' }));
      const first = clock;
      clock += HOUR_MS;
      runs.saveRun(sampleRun('a2', { ownerId: 'ada' }));
      clock = first + QUOTA_WINDOW_MS - 1;
      expect(rules.admit(request('ada'))).toMatchObject({ reason: 'daily-quota' });
      clock = first + QUOTA_WINDOW_MS;
      expect(rules.admit(request('ada'))).toBeNull();
      expect(rules.quotaOf('g1', 'ada')).toEqual({ used: 1, jobsPerDay: 2, nextAt: null });
    });

    it('counts each student in each server on their own, and nothing where no quota is set', () => {
      runs.saveRun(sampleRun('a1', { ownerId: 'ada' }));
      runs.saveRun(sampleRun('a2', { ownerId: 'ada' }));
      runs.saveRun(sampleRun('a3', { ownerId: 'ada', guildId: 'g2' }));
      runs.saveRun(sampleRun('a4', { ownerId: 'ada', guildId: 'g2' }));
      runs.saveRun(sampleRun('a5', { ownerId: 'ada', guildId: 'g2' }));
      expect(rules.admit(request('bo'))).toBeNull();
      expect(rules.admit(request('ada', undefined, 'g2'))).toBeNull();
      expect(rules.admit(request('ada'))).toMatchObject({ reason: 'daily-quota' });
    });
  });

  it('refuses settings over the server’s limits when a job is queued (a Run again button of an older run)', () => {
    settings.setOverrides('g1', { maxEpochs: 5 });
    expect(rules.admit(request('ada', defaultSpec({ epochs: 6 })))).toEqual({ reason: 'over-limits', limits: { ...configured, maxEpochs: 5 } });
    expect(rules.admit(request('ada', defaultSpec({ epochs: 5 })))).toBeNull();
    expect(rules.admit(request('ada', defaultSpec({ epochs: 6 }), 'g2'))).toBeNull();
  });

  it('holds a paused server’s waiting jobs, and only that server’s', () => {
    const mine = waitingJob(defaultSpec());
    const other = waitingJob(defaultSpec(), 'g2');
    settings.pause('g1', kim);
    expect(rules.mayDispatch(mine)).toBe(false);
    expect(rules.mayDispatch(other)).toBe(true);
    expect(jobs.next((job) => rules.mayDispatch(job))?.id).toBe(other.id);
    settings.resume('g1');
    expect(rules.mayDispatch(mine)).toBe(true);
  });

  describe('the settings a waiting job starts with', () => {
    it('are its own, checked against the limits of now, with the server’s number of training images', () => {
      settings.setOverrides('g1', { trainExamples: 500 });
      const spec = defaultSpec({ epochs: 3 });
      expect(rules.settingsToRun(waitingJob(spec), spec)).toEqual({ ok: true, spec, trainExamples: 500 });
    });

    it('fail with the limits that no longer fit, when a teacher lowered them while it waited', () => {
      const spec = defaultSpec({ epochs: 30, hiddenUnits: 1024 });
      const job = waitingJob(spec);
      settings.setOverrides('g1', { maxEpochs: 10 });
      const settingsNow = rules.settingsToRun(job, spec);
      expect(settingsNow).toMatchObject({ ok: false, failure: { code: 'over-limits', params: { maxEpochs: 10, maxUnits: 2048, maxBatchSize: 1024 } } });
    });

    it('fail as an internal error, never a crash, when the stored settings are not a spec at all', () => {
      const job = waitingJob({ epochs: 'many' });
      expect(rules.settingsToRun(job, { epochs: 'many' })).toMatchObject({ ok: false, failure: { code: 'internal' } });
    });
  });
});
