import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrate, MigrationError, openDatabase } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrations';
import { makeTempDir, removeDir } from './fixtures/samples';

const LATEST = MIGRATIONS.at(-1)!.version;

function tableNames(db: BetterSqlite3.Database): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all()
    .map((row) => row.name);
}

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('creates the missing folder and the file, in WAL mode with foreign keys and a busy timeout', () => {
    const file = path.join(dir, 'nested', 'deeper', 'lab.db');
    const db = openDatabase(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    } finally {
      db.close();
    }
  });

  it('runs every migration on a new database', () => {
    const db = openDatabase(path.join(dir, 'lab.db'));
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
      expect(tableNames(db)).toEqual(['class_models', 'epochs', 'exercise_threads', 'jobs', 'runs', 'server_settings', 'teacher_actions', 'terms']);
    } finally {
      db.close();
    }
  });

  it('leaves the schema and the data alone when an up-to-date database is opened again', () => {
    const file = path.join(dir, 'lab.db');
    const first = openDatabase(file);
    first.prepare(`INSERT INTO class_models (path, test_accuracy, training_seconds, created_at) VALUES (?, ?, ?, ?)`).run('m', 0.9, 3, 1);
    const schemaBefore = first.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all();
    first.close();

    const second = openDatabase(file);
    try {
      expect(second.pragma('user_version', { simple: true })).toBe(LATEST);
      expect(second.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
      expect(second.prepare('SELECT count(*) AS n FROM class_models').get()).toEqual({ n: 1 });
    } finally {
      second.close();
    }
  });

  it('works in memory', () => {
    const db = openDatabase(':memory:');
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
      expect(tableNames(db)).toContain('runs');
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer version of the program, with a clear message', () => {
    const file = path.join(dir, 'lab.db');
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this program knows/);
  });
});

describe('migrate', () => {
  it('applies only the steps after the stored version', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      migrate(db, [{ version: 1, description: 'a', sql: 'CREATE TABLE a (x)' }]);
      migrate(db, [
        { version: 1, description: 'a', sql: 'CREATE TABLE a (x)' },
        { version: 2, description: 'b', sql: 'CREATE TABLE b (x)' },
      ]);
      expect(tableNames(db)).toEqual(['a', 'b']);
      expect(db.pragma('user_version', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  it('rolls a failing step back whole and keeps the steps before it', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      const steps = [
        { version: 1, description: 'first', sql: 'CREATE TABLE a (x)' },
        { version: 2, description: 'broken', sql: 'CREATE TABLE b (x); INSERT INTO missing VALUES (1)' },
      ];
      expect(() => migrate(db, steps)).toThrow(MigrationError);
      expect(() => migrate(db, steps)).toThrow(/version 2 \(broken\)/);
      expect(tableNames(db)).toEqual(['a']);
      expect(db.pragma('user_version', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });
});
