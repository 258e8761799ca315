import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type Database = BetterSqlite3.Database;

/** How long a write waits for another connection (the other process) to finish its own. */
const BUSY_TIMEOUT_MS = 5000;

export interface StoreOptions {
  /** The clock, in milliseconds since 1970; tests pass their own. */
  now?: () => number;
}

export class MigrationError extends Error {}

/**
 * Opens (or creates) the lab's database and brings its schema up to date.
 * `:memory:` gives a private in-memory database, for tests.
 */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    // WAL lets readers carry on while one connection writes; busy_timeout makes a second writer
    // wait for the lock instead of failing at once with SQLITE_BUSY.
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs the migrations newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = userVersion(db);
  if (current > latest) {
    throw new MigrationError(
      `The database is at schema version ${current}, newer than this program knows (${latest}). ` +
        'Update the bot, or point DATA_DIR at another folder.',
    );
  }
  for (const migration of migrations) {
    if (migration.version > current) applyMigration(db, migration);
  }
}

function applyMigration(db: Database, migration: Migration): void {
  const apply = () => {
    // Another process may have run this step while we waited for the write lock.
    if (userVersion(db) >= migration.version) return;
    db.exec(migration.sql);
    // PRAGMA takes no bound parameters; the version is our own integer constant, not input.
    db.pragma(`user_version = ${Math.trunc(migration.version)}`);
  };
  try {
    inWriteTransaction(db, apply);
  } catch (error) {
    throw new MigrationError(
      `Could not update the database schema to version ${migration.version} (${migration.description}).`,
      { cause: error },
    );
  }
}

/**
 * Runs `work` in a transaction that takes the write lock at its start (BEGIN IMMEDIATE). A
 * transaction that reads first and writes later could otherwise fail with SQLITE_BUSY when another
 * process wrote in between; this way it waits (busy_timeout) and then runs whole.
 */
export function inWriteTransaction<T>(db: Database, work: () => T): T {
  return db.transaction(work).immediate();
}

function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
