import path from 'node:path';
import { ClassModelStore } from '../../src/store/class-models';
import { openDatabase, type Database } from '../../src/store/database';
import { makeTempDir, removeDir } from './fixtures/samples';

describe('ClassModelStore', () => {
  let dir: string;
  let db: Database;

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('has no class model before one is saved', () => {
    expect(new ClassModelStore(db).latest()).toBeUndefined();
  });

  it('gives the newest saved model, also after reopening the database', () => {
    let clock = 100;
    const models = new ClassModelStore(db, { now: () => clock++ });
    models.save({ path: 'data/models/class-1', testAccuracy: 0.86, trainingSeconds: 120 });
    const newest = models.save({ path: 'data/models/class-2', testAccuracy: 0.89, trainingSeconds: 95.5 });
    expect(newest).toEqual({ id: expect.any(Number), path: 'data/models/class-2', testAccuracy: 0.89, trainingSeconds: 95.5, createdAt: 101 });

    db.close();
    db = openDatabase(path.join(dir, 'lab.db'));
    expect(new ClassModelStore(db).latest()).toEqual(newest);
  });
});
