import path from 'node:path';
import { openDatabase, type Database } from '../../src/store/database';
import { ServerSettingsStore } from '../../src/store/server-settings';
import { makeTempDir, removeDir } from './fixtures/samples';

describe('ServerSettingsStore', () => {
  let dir: string;
  let file: string;
  let db: Database;
  let clock: number;
  let settings: ServerSettingsStore;
  const kim = { id: 't1', name: 'Ms Kim' };
  const lee = { id: 't2', name: 'Mr Lee' };

  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'lab.db');
    db = openDatabase(file);
    clock = 1_000;
    settings = new ServerSettingsStore(db, { now: () => clock });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  describe('the pause', () => {
    it('remembers who paused the lab and since when, until it is resumed', () => {
      expect(settings.pauseOf('g1')).toBeNull();
      expect(settings.pause('g1', kim)).toEqual({ byId: 't1', byName: 'Ms Kim', since: 1_000 });
      expect(settings.pauseOf('g1')).toEqual({ byId: 't1', byName: 'Ms Kim', since: 1_000 });
      clock = 2_000;
      expect(settings.resume('g1')).toEqual({ byId: 't1', byName: 'Ms Kim', since: 1_000 });
      expect(settings.pauseOf('g1')).toBeNull();
      expect(settings.resume('g1')).toBeNull();
    });

    it('keeps the first pause when a second teacher pauses a paused lab', () => {
      settings.pause('g1', kim);
      clock = 5_000;
      expect(settings.pause('g1', lee)).toEqual({ byId: 't1', byName: 'Ms Kim', since: 1_000 });
    });

    it('holds one server’s lab only, and the console’s apart from every server’s', () => {
      settings.pause('g1', kim);
      settings.pause(null, lee);
      expect(settings.pauseOf('g2')).toBeNull();
      settings.resume('g1');
      expect(settings.pauseOf(null)).toMatchObject({ byName: 'Mr Lee' });
    });

    it('survives a restart of the bot', () => {
      settings.pause('g1', kim);
      db.close();
      db = openDatabase(file);
      expect(new ServerSettingsStore(db).pauseOf('g1')).toEqual({ byId: 't1', byName: 'Ms Kim', since: 1_000 });
    });
  });

  describe('the limits', () => {
    it('keeps only what a teacher set, and null goes back to the configuration’s', () => {
      expect(settings.overridesOf('g1')).toEqual({});
      expect(settings.setOverrides('g1', { maxEpochs: 10, jobsPerDay: 3 })).toEqual({ maxEpochs: 10, jobsPerDay: 3 });
      expect(settings.setOverrides('g1', { trainExamples: 500, jobsPerDay: null })).toEqual({ maxEpochs: 10, trainExamples: 500 });
      expect(settings.overridesOf('g2')).toEqual({});
    });

    it('clears them all at once, leaving the pause as it was', () => {
      settings.pause('g1', kim);
      settings.setOverrides('g1', { maxEpochs: 10, maxUnits: 64, maxBatchSize: 8, trainExamples: 100, jobsPerDay: 1 });
      settings.clearOverrides('g1');
      expect(settings.overridesOf('g1')).toEqual({});
      expect(settings.pauseOf('g1')).not.toBeNull();
    });

    it('leaves the limits as they were when pausing and resuming', () => {
      settings.setOverrides('g1', { maxEpochs: 10 });
      settings.pause('g1', kim);
      settings.resume('g1');
      expect(settings.overridesOf('g1')).toEqual({ maxEpochs: 10 });
    });
  });
});
