import { inWriteTransaction, type Database, type StoreOptions } from './database';

/** The model trained on the whole class's behalf, used by `/classify`. */
export interface ClassModelRecord {
  id: number;
  /** Where the saved model lies on disk. */
  path: string;
  testAccuracy: number;
  trainingSeconds: number;
  createdAt: number;
}

export type NewClassModel = Pick<ClassModelRecord, 'path' | 'testAccuracy' | 'trainingSeconds'>;

interface ClassModelRow {
  id: number;
  path: string;
  test_accuracy: number;
  training_seconds: number;
  created_at: number;
}

export class ClassModelStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  save(model: NewClassModel): ClassModelRecord {
    const insert = this.db.prepare(`
      INSERT INTO class_models (path, test_accuracy, training_seconds, created_at)
      VALUES (@path, @testAccuracy, @trainingSeconds, @createdAt)`);
    const createdAt = this.now();
    const { lastInsertRowid } = inWriteTransaction(this.db, () =>
      insert.run({
        path: model.path,
        testAccuracy: model.testAccuracy,
        trainingSeconds: model.trainingSeconds,
        createdAt,
      }),
    );
    return {
      id: Number(lastInsertRowid),
      path: model.path,
      testAccuracy: model.testAccuracy,
      trainingSeconds: model.trainingSeconds,
      createdAt,
    };
  }

  /** The newest class model, if one was ever trained. */
  latest(): ClassModelRecord | undefined {
    const row = this.db
      .prepare<[], ClassModelRow>('SELECT * FROM class_models ORDER BY id DESC LIMIT 1')
      .get();
    return (
      row && {
        id: row.id,
        path: row.path,
        testAccuracy: row.test_accuracy,
        trainingSeconds: row.training_seconds,
        createdAt: row.created_at,
      }
    );
  }
}
