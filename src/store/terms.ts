import { inWriteTransaction, type Database, type StoreOptions } from './database';
import { serverKey, serverKeySql } from './server-key';

/**
 * A term of a server: from its start to the start of the next. Before a server's first term
 * there is the time before terms, which has no name.
 */
export interface Term {
  id: number;
  name: string;
  startedById: string;
  startedByName: string;
  /** Milliseconds since 1970. */
  startedAt: number;
}

interface TermRow {
  id: number;
  name: string;
  started_by_id: string;
  started_by_name: string;
  started_at: number;
}

/**
 * SQL for the start of the current term of the server whose guild id is in `guildIdSql` (0 before
 * the first term): the runs the leaderboard and the class's summaries count are saved since then.
 */
export const currentTermStartSql = (guildIdSql: string) =>
  `(SELECT COALESCE(MAX(started_at), 0) FROM terms WHERE terms.server = ${serverKeySql(guildIdSql)})`;

/** SQL for the name of the term a run was saved in (NULL before the server's first term). */
export const termNameSql = (guildIdColumn: string, savedAtColumn: string) => `(
  SELECT name FROM terms WHERE terms.server = ${serverKeySql(guildIdColumn)} AND terms.started_at <= ${savedAtColumn}
  ORDER BY terms.started_at DESC, terms.id DESC LIMIT 1)`;

/** The terms of each server: a teacher starts a new one, and the class's results start afresh. */
export class TermStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Starts a new term now, named `name` or else by its date (UTC, `2026-09-01`); the one before ends. */
  start(guildId: string | null, name: string | null, by: { id: string; name: string }): Term {
    const insert = this.db.prepare(`
      INSERT INTO terms (server, name, started_by_id, started_by_name, started_at)
      VALUES (@server, @name, @byId, @byName, @startedAt)`);
    const startedAt = this.now();
    const termName = name ?? new Date(startedAt).toISOString().slice(0, 10);
    const { lastInsertRowid } = inWriteTransaction(this.db, () =>
      insert.run({ server: serverKey(guildId), name: termName, byId: by.id, byName: by.name, startedAt }),
    );
    const term = this.db.prepare<[number], TermRow>('SELECT * FROM terms WHERE id = ?').get(Number(lastInsertRowid));
    if (!term) throw new Error(`term ${lastInsertRowid} vanished while being written`);
    return toTerm(term);
  }

  /** The server's current term, or null before its first. */
  current(guildId: string | null): Term | null {
    const row = this.db
      .prepare<[string], TermRow>('SELECT * FROM terms WHERE server = ? ORDER BY started_at DESC, id DESC LIMIT 1')
      .get(serverKey(guildId));
    return row ? toTerm(row) : null;
  }
}

function toTerm(row: TermRow): Term {
  return { id: row.id, name: row.name, startedById: row.started_by_id, startedByName: row.started_by_name, startedAt: row.started_at };
}
