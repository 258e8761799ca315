import path from 'node:path';
import { openDatabase, type Database } from '../../src/store/database';
import { CorruptRecordError } from '../../src/store/json-column';
import { TeacherLogStore } from '../../src/store/teacher-log';
import { makeTempDir, removeDir } from './fixtures/samples';

describe('TeacherLogStore', () => {
  let dir: string;
  let db: Database;
  let clock: number;
  let log: TeacherLogStore;
  const kim = { id: 't1', name: 'Ms Kim' };

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
    clock = 1_000;
    log = new TeacherLogStore(db, { now: () => (clock += 1_000) });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('records who changed what and when, and gives the latest first, as many as asked', () => {
    log.record('g1', { action: 'pause', actor: kim });
    log.record('g1', { action: 'limits', details: { max_epochs: 10, jobs_per_day: null }, actor: kim });
    log.record('g1', { action: 'remove', details: { runId: 'r1', owner: 'Ada' }, actor: { id: 't2', name: 'Mr Lee' } });
    expect(log.latest('g1', 2)).toEqual([
      { id: 3, action: 'remove', details: { runId: 'r1', owner: 'Ada' }, actorId: 't2', actorName: 'Mr Lee', at: 4_000 },
      { id: 2, action: 'limits', details: { max_epochs: 10, jobs_per_day: null }, actorId: 't1', actorName: 'Ms Kim', at: 3_000 },
    ]);
  });

  it('keeps each server’s log apart, the console’s too', () => {
    log.record('g1', { action: 'pause', actor: kim });
    log.record(null, { action: 'new-term', details: { name: 'autumn' }, actor: kim });
    expect(log.latest('g2', 20)).toEqual([]);
    expect(log.latest(null, 20).map((entry) => entry.action)).toEqual(['new-term']);
  });

  it('refuses to read back an action it does not know (a row edited by hand), naming the row', () => {
    log.record('g1', { action: 'pause', actor: kim });
    db.prepare(`UPDATE teacher_actions SET action = 'explode'`).run();
    expect(() => log.latest('g1', 20)).toThrow(CorruptRecordError);
    expect(() => log.latest('g1', 20)).toThrow(/teacher action 1 \(action\)/);
  });
});
