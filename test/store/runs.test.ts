import path from 'node:path';
import { defaultSpec } from '../../src/experiments/spec';
import { openDatabase, type Database } from '../../src/store/database';
import { JobStore } from '../../src/store/jobs';
import { CorruptRecordError } from '../../src/store/json-column';
import { InvalidRunError, RunStore } from '../../src/store/runs';
import { TermStore } from '../../src/store/terms';
import { makeTempDir, removeDir, sampleJob, sampleResult, sampleRun, scoredResult } from './fixtures/samples';

describe('RunStore', () => {
  let dir: string;
  let db: Database;
  let runs: RunStore;
  let clock: number;

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
    clock = 1_000;
    runs = new RunStore(db, { now: () => (clock += 10) });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  describe('saveRun and getRun', () => {
    it('reads back exactly the run that was saved, epochs included', () => {
      const job = new JobStore(db).enqueue(sampleJob());
      const input = sampleRun('r1', { jobId: job.id, exercise: 6 }, { epochs: 3, validationSplit: 0.2, seed: 7 });
      const saved = runs.saveRun(input);

      expect(saved).toEqual({ ...input, createdAt: 1_010, term: null, removedAt: null });
      expect(runs.getRun('r1')).toEqual(saved);
      expect(runs.getRun('missing')).toBeUndefined();
    });

    it('writes one row per epoch', () => {
      runs.saveRun(sampleRun('r1', { result: sampleResult('r1', {}, 4) }));
      const rows = db.prepare('SELECT epoch, val_loss FROM epochs WHERE run_id = ? ORDER BY epoch').all('r1');
      expect(rows).toEqual([
        { epoch: 1, val_loss: null },
        { epoch: 2, val_loss: 0.25 },
        { epoch: 3, val_loss: 0.5 / 3 },
        { epoch: 4, val_loss: 0.125 },
      ]);
    });

    it('saves nothing when one epoch cannot be written (one transaction)', () => {
      const result = sampleResult('r1');
      const duplicateEpoch = { ...result, epochs: [result.epochs[0], result.epochs[0]] };
      expect(() => runs.saveRun(sampleRun('r1', { result: duplicateEpoch }))).toThrow(/UNIQUE constraint failed/);
      expect(runs.getRun('r1')).toBeUndefined();
      expect(db.prepare('SELECT count(*) AS n FROM epochs').get()).toEqual({ n: 0 });
    });

    it('refuses an invalid result with a message naming the field', () => {
      const result = { ...sampleResult('r1'), seconds: Number.NaN };
      expect(() => runs.saveRun(sampleRun('r1', { result }))).toThrow(InvalidRunError);
      expect(() => runs.saveRun(sampleRun('r1', { result }))).toThrow(/result of run r1 cannot be stored: seconds/);
    });

    it("refuses another run's result", () => {
      expect(() => runs.saveRun(sampleRun('r1', { result: sampleResult('r2') }))).toThrow(/given the result of run r2/);
    });

    it('refuses a job id that does not exist (foreign key)', () => {
      expect(() => runs.saveRun(sampleRun('r1', { jobId: 12345 }))).toThrow(/FOREIGN KEY/);
    });

    it('keeps loading runs whose settings exceed limits lowered since', () => {
      runs.saveRun(sampleRun('r1', { spec: { ...defaultSpec(), epochs: 500, hiddenUnits: 5000 } }));
      expect(runs.getRun('r1')?.spec).toMatchObject({ epochs: 500, hiddenUnits: 5000 });
    });
  });

  describe('stored JSON that fails validation', () => {
    it('gives a CorruptRecordError naming the run and the field, with the zod error as cause', () => {
      runs.saveRun(sampleRun('r1'));
      db.prepare(`UPDATE runs SET spec = json_set(spec, '$.epochs', 'many') WHERE run_id = 'r1'`).run();

      let error: unknown;
      try {
        runs.getRun('r1');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CorruptRecordError);
      expect((error as Error).message).toMatch(/^Stored data in run r1 \(spec\) is invalid: epochs: /);
      expect((error as Error).cause).toBeDefined();
    });

    it('gives a CorruptRecordError for text that is not JSON at all', () => {
      runs.saveRun(sampleRun('r1'));
      db.prepare(`UPDATE runs SET result = '{"runId": "r1", oops' WHERE run_id = 'r1'`).run();
      expect(() => runs.getRun('r1')).toThrow('Stored data in run r1 (result) is invalid: not valid JSON');
      expect(() => runs.history({ guildId: 'g1', limit: 10 })).toThrow(CorruptRecordError);
    });
  });

  describe('history', () => {
    beforeEach(() => {
      runs.saveRun(sampleRun('a1', { ownerId: 'a' }));
      runs.saveRun(sampleRun('b1', { ownerId: 'b' }));
      runs.saveRun(sampleRun('a2', { ownerId: 'a' }));
      runs.saveRun(sampleRun('a3', { ownerId: 'a', guildId: 'other-guild' }));
      runs.saveRun(sampleRun('a4', { ownerId: 'a' }));
      runs.saveRun(sampleRun('console', { ownerId: 'a', guildId: null }));
    });

    it("lists one user's runs in the server, newest first, up to the limit", () => {
      expect(runs.history({ guildId: 'g1', userId: 'a', limit: 10 }).map((run) => run.runId)).toEqual(['a4', 'a2', 'a1']);
      expect(runs.history({ guildId: 'g1', userId: 'a', limit: 2 }).map((run) => run.runId)).toEqual(['a4', 'a2']);
    });

    it("lists everyone's runs when no user is given", () => {
      expect(runs.history({ guildId: 'g1', limit: 10 }).map((run) => run.runId)).toEqual(['a4', 'a2', 'b1', 'a1']);
    });

    it('treats runs outside a server (console) as their own server', () => {
      expect(runs.history({ guildId: null, limit: 10 }).map((run) => run.runId)).toEqual(['console']);
    });

    it('finds the last run and the one before a given run', () => {
      expect(runs.lastRun('g1', 'a')?.runId).toBe('a4');
      expect(runs.previousRun('g1', 'a', 'a4')?.runId).toBe('a2');
      expect(runs.previousRun('g1', 'a', 'a2')?.runId).toBe('a1');
      expect(runs.previousRun('g1', 'a', 'a1')).toBeUndefined();
      expect(runs.previousRun('g1', 'a', 'no-such-run')).toBeUndefined();
      expect(runs.lastRun('g1', 'nobody')).toBeUndefined();
    });

    it('orders runs saved in the same millisecond by the order they were saved', () => {
      const sameTime = new RunStore(db, { now: () => 5_000_000 });
      sameTime.saveRun(sampleRun('s1', { ownerId: 's' }));
      sameTime.saveRun(sampleRun('s2', { ownerId: 's' }));
      expect(runs.lastRun('g1', 's')?.runId).toBe('s2');
      expect(runs.previousRun('g1', 's', 's2')?.runId).toBe('s1');
    });
  });

  describe('reading runs with their epochs', () => {
    it('reads any number of runs, each with its own epochs in order, in one query', () => {
      const saved = Array.from({ length: 30 }, (_, index) =>
        runs.saveRun(sampleRun(`r${index}`, { ownerId: `u${index % 4}`, result: sampleResult(`r${index}`, {}, index % 6) })),
      );
      const prepare = jest.spyOn(db, 'prepare');
      const read = runs.history({ guildId: 'g1', limit: 100 });
      expect(prepare).toHaveBeenCalledTimes(1);
      prepare.mockRestore();
      expect(read).toEqual([...saved].reverse());
      expect(read.map((run) => run.result.epochs.length)).toContain(0);
    });

    it('names who ran the latest runs, newest first, one entry per run, without reading the runs', () => {
      runs.saveRun(sampleRun('a1', { ownerId: 'a', ownerName: 'Ada' }));
      runs.saveRun(sampleRun('b1', { ownerId: 'b', ownerName: 'Bo' }));
      runs.saveRun(sampleRun('a2', { ownerId: 'a', ownerName: 'Ada L.' }));
      runs.saveRun(sampleRun('c1', { ownerId: 'c', guildId: 'other-guild' }));
      expect(runs.recentOwners('g1', 2)).toEqual([
        { ownerId: 'a', ownerName: 'Ada L.' },
        { ownerId: 'b', ownerName: 'Bo' },
      ]);
      expect(runs.recentOwners('g1', 10)).toHaveLength(3);
    });
  });

  it('lists the attempts at one exercise, oldest first', () => {
    runs.saveRun(sampleRun('e1', { exercise: 6, ownerId: 'a' }));
    runs.saveRun(sampleRun('x', { exercise: 5 }));
    runs.saveRun(sampleRun('e2', { exercise: 6, ownerId: 'b' }));
    runs.saveRun(sampleRun('elsewhere', { exercise: 6, guildId: 'g2' }));
    expect(runs.runsOfExercise('g1', 6).map((run) => run.runId)).toEqual(['e1', 'e2']);
  });

  describe('leaderboard', () => {
    it("ranks each student's best run, breaking ties by shorter training time", () => {
      runs.saveRun(sampleRun('ada-slow', { ownerId: 'ada', result: scoredResult('ada-slow', 0.9, 100) }));
      runs.saveRun(sampleRun('ada-fast', { ownerId: 'ada', result: scoredResult('ada-fast', 0.9, 40) }));
      runs.saveRun(sampleRun('ada-worse', { ownerId: 'ada', result: scoredResult('ada-worse', 0.85, 5) }));
      runs.saveRun(sampleRun('bo', { ownerId: 'bo', result: scoredResult('bo', 0.9, 60) }));
      runs.saveRun(sampleRun('cy', { ownerId: 'cy', result: scoredResult('cy', 0.91, 500) }));
      runs.saveRun(sampleRun('di', { ownerId: 'di', result: scoredResult('di', 0.7, 1) }));

      const board = runs.leaderboard('g1');
      expect(board.map((entry) => [entry.rank, entry.run.runId])).toEqual([
        [1, 'cy'],
        [2, 'ada-fast'],
        [3, 'bo'],
        [4, 'di'],
      ]);
    });

    it('leaves out runs without a test result and other servers', () => {
      runs.saveRun(sampleRun('failed', { ownerId: 'a', result: sampleResult('failed', { stopReason: { kind: 'failed', failure: { code: 'diverged', params: {}, detail: '' } }, evaluation: null }) }));
      runs.saveRun(sampleRun('cancelled', { ownerId: 'b', result: sampleResult('cancelled', { stopReason: { kind: 'cancelled', epoch: 2 } }) }));
      runs.saveRun(sampleRun('early', { ownerId: 'c', result: sampleResult('early', { stopReason: { kind: 'early-stopped', epoch: 5, bestEpoch: 3 } }) }));
      runs.saveRun(sampleRun('elsewhere', { ownerId: 'd', guildId: 'g2' }));
      expect(runs.leaderboard('g1').map((entry) => entry.run.runId)).toEqual(['early']);
    });

    it('ranks within one exercise when asked', () => {
      runs.saveRun(sampleRun('free', { ownerId: 'a', exercise: null, result: scoredResult('free', 0.95, 10) }));
      runs.saveRun(sampleRun('ex2', { ownerId: 'a', exercise: 2, result: scoredResult('ex2', 0.8, 10) }));
      runs.saveRun(sampleRun('ex2b', { ownerId: 'b', exercise: 2, result: scoredResult('ex2b', 0.85, 10) }));
      expect(runs.leaderboard('g1', 2).map((entry) => entry.run.runId)).toEqual(['ex2b', 'ex2']);
      expect(runs.leaderboard('g1').map((entry) => entry.run.runId)).toEqual(['free', 'ex2b']);
    });
  });

  describe('findFinishedBySpec', () => {
    const seeded = defaultSpec({ epochs: 4, seed: 42 });

    it('finds the newest finished run with the identical seeded spec in the server', () => {
      runs.saveRun(sampleRun('old', { spec: seeded }));
      runs.saveRun(sampleRun('new', { spec: seeded }));
      runs.saveRun(sampleRun('other-server', { spec: seeded, guildId: 'g2' }));
      expect(runs.findFinishedBySpec('g1', { ...seeded })?.runId).toBe('new');
    });

    it('does not match a spec that differs in any setting, the seed included', () => {
      runs.saveRun(sampleRun('r1', { spec: seeded }));
      expect(runs.findFinishedBySpec('g1', { ...seeded, seed: 43 })).toBeUndefined();
      expect(runs.findFinishedBySpec('g1', { ...seeded, learningRate: 0.002 })).toBeUndefined();
      expect(runs.findFinishedBySpec('g2', seeded)).toBeUndefined();
    });

    it('matches whatever order the spec keys come in', () => {
      runs.saveRun(sampleRun('r1', { spec: seeded }));
      const reversed = Object.fromEntries(Object.entries(seeded).reverse()) as typeof seeded;
      expect(runs.findFinishedBySpec('g1', reversed)?.runId).toBe('r1');
    });

    it('never offers a run without a seed, whose numbers cannot be reproduced', () => {
      const unseeded = defaultSpec({ epochs: 4 });
      runs.saveRun(sampleRun('r1', { spec: unseeded }));
      expect(runs.findFinishedBySpec('g1', unseeded)).toBeUndefined();
    });

    it('never offers a failed or cancelled run', () => {
      runs.saveRun(sampleRun('r1', { spec: seeded, result: sampleResult('r1', { stopReason: { kind: 'cancelled', epoch: 1 } }) }));
      expect(runs.findFinishedBySpec('g1', seeded)).toBeUndefined();
    });

    it('can insist on the same number of training examples', () => {
      runs.saveRun(sampleRun('small', { spec: seeded, result: sampleResult('small', { trainExamples: 1000 }) }));
      expect(runs.findFinishedBySpec('g1', seeded, 60000)).toBeUndefined();
      expect(runs.findFinishedBySpec('g1', seeded, 1000)?.runId).toBe('small');
    });
  });

  describe('searchRuns', () => {
    beforeEach(() => {
      runs.saveRun(sampleRun('rk3a', { ownerName: 'Ada' }));
      runs.saveRun(sampleRun('rk3b', { ownerName: 'Bo' }));
      runs.saveRun(sampleRun('rz9', { ownerName: '민준_100%' }));
    });

    it('matches run id prefixes and parts of owner names, newest first', () => {
      expect(runs.searchRuns('g1', 'rk3', 25).map((run) => run.runId)).toEqual(['rk3b', 'rk3a']);
      expect(runs.searchRuns('g1', 'ad', 25).map((run) => run.runId)).toEqual(['rk3a']);
      expect(runs.searchRuns('g1', '민준', 25).map((run) => run.runId)).toEqual(['rz9']);
      expect(runs.searchRuns('g1', '', 2).map((run) => run.runId)).toEqual(['rz9', 'rk3b']);
    });

    it('treats % and _ as plain characters', () => {
      expect(runs.searchRuns('g1', '%', 25).map((run) => run.runId)).toEqual(['rz9']);
      expect(runs.searchRuns('g1', '_', 25).map((run) => run.runId)).toEqual(['rz9']);
      expect(runs.searchRuns('g1', 'r_', 25)).toEqual([]);
    });
  });
  describe('runs a teacher removed', () => {
    const seeded = defaultSpec({ epochs: 4, seed: 42 });

    beforeEach(() => {
      runs.saveRun(sampleRun('shown', { ownerId: 'ada', ownerName: 'Ada', exercise: 6, spec: seeded, result: scoredResult('shown', 0.85, 10) }));
      runs.saveRun(sampleRun('hidden', { ownerId: 'ada', ownerName: 'Ada', exercise: 6, spec: seeded, result: scoredResult('hidden', 0.99, 10) }));
      runs.saveRun(sampleRun('bo', { ownerId: 'bo', ownerName: 'Bo', exercise: 6, result: scoredResult('bo', 0.9, 10) }));
      expect(runs.setRemoved('hidden', true)).toBe(true);
    });

    it('are left out of the class’s results: leaderboard, exercise attempts, identical-run offers, /compare’s choices', () => {
      expect(runs.leaderboard('g1').map((entry) => entry.run.runId)).toEqual(['bo', 'shown']);
      expect(runs.runsOfExercise('g1', 6).map((run) => run.runId)).toEqual(['shown', 'bo']);
      expect(runs.findFinishedBySpec('g1', seeded)?.runId).toBe('shown');
      expect(runs.searchRuns('g1', '', 25).map((run) => run.runId)).toEqual(['bo', 'shown']);
      expect(runs.lastRun('g1', 'ada')?.runId).toBe('shown');
      expect(runs.recentOwners('g1', 10).map((owner) => owner.ownerName)).toEqual(['Bo', 'Ada']);
    });

    it('stay in the store, the history and the export, marked with when they were removed', () => {
      expect(runs.getRun('hidden')?.removedAt).toBe(1_040);
      expect(runs.history({ guildId: 'g1', userId: 'ada', limit: 10 }).map((run) => [run.runId, run.removedAt])).toEqual([
        ['hidden', 1_040],
        ['shown', null],
      ]);
      expect(runs.runsOfServer('g1').map((run) => run.runId)).toEqual(['shown', 'hidden', 'bo']);
      expect(runs.searchRuns('g1', '', 25, 'removed').map((run) => run.runId)).toEqual(['hidden']);
    });

    it('come back when restored; removing or restoring twice changes nothing', () => {
      expect(runs.setRemoved('hidden', true)).toBe(false);
      expect(runs.setRemoved('hidden', false)).toBe(true);
      expect(runs.setRemoved('hidden', false)).toBe(false);
      expect(runs.setRemoved('no-such-run', true)).toBe(false);
      expect(runs.getRun('hidden')?.removedAt).toBeNull();
      expect(runs.leaderboard('g1').map((entry) => entry.run.runId)).toEqual(['hidden', 'bo']);
    });
  });

  describe('terms', () => {
    let terms: TermStore;
    const kim = { id: 't1', name: 'Ms Kim' };
    const seeded = defaultSpec({ epochs: 4, seed: 42 });

    beforeEach(() => {
      terms = new TermStore(db, { now: () => (clock += 10) });
      runs.saveRun(sampleRun('old', { ownerId: 'ada', exercise: 6, spec: seeded, result: scoredResult('old', 0.95, 10) }));
    });

    it('start the leaderboard, the exercise attempts and identical-run offers afresh', () => {
      terms.start('g1', 'Spring', kim);
      expect(runs.leaderboard('g1')).toEqual([]);
      expect(runs.runsOfExercise('g1', 6)).toEqual([]);
      expect(runs.findFinishedBySpec('g1', seeded)).toBeUndefined();
      runs.saveRun(sampleRun('new', { ownerId: 'bo', exercise: 6, spec: seeded, result: scoredResult('new', 0.8, 10) }));
      expect(runs.leaderboard('g1').map((entry) => entry.run.runId)).toEqual(['new']);
      expect(runs.runsOfExercise('g1', 6).map((run) => run.runId)).toEqual(['new']);
      expect(runs.findFinishedBySpec('g1', seeded)?.runId).toBe('new');
    });

    it('keep the history, each run under the name of the term it was saved in', () => {
      terms.start('g1', 'Spring', kim);
      runs.saveRun(sampleRun('spring', { ownerId: 'ada' }));
      terms.start('g1', 'Autumn', kim);
      runs.saveRun(sampleRun('autumn', { ownerId: 'ada' }));
      expect(runs.history({ guildId: 'g1', userId: 'ada', limit: 10 }).map((run) => [run.runId, run.term])).toEqual([
        ['autumn', 'Autumn'],
        ['spring', 'Spring'],
        ['old', null],
      ]);
      expect(runs.runsOfServer('g1').map((run) => run.term)).toEqual([null, 'Spring', 'Autumn']);
    });

    it('belong to one server: another server’s leaderboard goes on', () => {
      runs.saveRun(sampleRun('elsewhere', { guildId: 'g2', result: scoredResult('elsewhere', 0.9, 10) }));
      terms.start('g1', 'Spring', kim);
      expect(runs.leaderboard('g2').map((entry) => entry.run.runId)).toEqual(['elsewhere']);
      expect(runs.getRun('elsewhere')?.term).toBeNull();
    });

    it('are named by their start date (UTC) when the teacher gives no name, and the latest is the current one', () => {
      clock = Date.UTC(2027, 2, 1, 23, 0);
      expect(terms.current('g1')).toBeNull();
      expect(terms.start('g1', null, kim)).toMatchObject({ name: '2027-03-01', startedById: 't1', startedByName: 'Ms Kim', startedAt: Date.UTC(2027, 2, 1, 23, 0) + 10 });
      terms.start('g1', 'Spring', kim);
      expect(terms.current('g1')?.name).toBe('Spring');
      expect(terms.current(null)).toBeNull();
    });
  });

  it('tells when a student’s runs in a server were saved since a moment, oldest first (the daily quota)', () => {
    runs.saveRun(sampleRun('a1', { ownerId: 'a' }));
    runs.saveRun(sampleRun('b1', { ownerId: 'b' }));
    runs.saveRun(sampleRun('a2', { ownerId: 'a' }));
    runs.saveRun(sampleRun('a3', { ownerId: 'a', guildId: 'g2' }));
    expect(runs.savedTimesSince('g1', 'a', 0)).toEqual([1_010, 1_030]);
    expect(runs.savedTimesSince('g1', 'a', 1_010)).toEqual([1_030]);
  });
});
