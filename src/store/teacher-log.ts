import { z } from 'zod';
import { inWriteTransaction, type Database, type StoreOptions } from './database';
import { checkColumn, parseJsonColumn, toJsonText } from './json-column';
import { serverKey } from './server-key';

/** What a teacher changed with `/teacher`. */
export const TEACHER_ACTIONS = ['pause', 'resume', 'limits', 'limits-reset', 'clear-queue', 'remove', 'restore', 'new-term'] as const;
export type TeacherActionKind = (typeof TEACHER_ACTIONS)[number];

/** What the change was about (a run's id, the limits set, the jobs cancelled), to put into words when shown. */
const detailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type TeacherActionDetails = z.infer<typeof detailsSchema>;

export interface TeacherAction {
  id: number;
  action: TeacherActionKind;
  details: TeacherActionDetails;
  actorId: string;
  actorName: string;
  /** Milliseconds since 1970. */
  at: number;
}

export interface NewTeacherAction {
  action: TeacherActionKind;
  details?: TeacherActionDetails;
  actor: { id: string; name: string };
}

interface ActionRow {
  id: number;
  action: string;
  details: string;
  actor_id: string;
  actor_name: string;
  created_at: number;
}

const actionSchema = z.enum(TEACHER_ACTIONS);

/** Every change a teacher made to a server's lab: who, when, and what. */
export class TeacherLogStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  record(guildId: string | null, entry: NewTeacherAction): TeacherAction {
    const insert = this.db.prepare(`
      INSERT INTO teacher_actions (server, actor_id, actor_name, action, details, created_at)
      VALUES (@server, @actorId, @actorName, @action, @details, @createdAt)`);
    const details = detailsSchema.parse(entry.details ?? {});
    const at = this.now();
    const { lastInsertRowid } = inWriteTransaction(this.db, () =>
      insert.run({
        server: serverKey(guildId),
        actorId: entry.actor.id,
        actorName: entry.actor.name,
        action: entry.action,
        details: toJsonText(details, 'teacher action details'),
        createdAt: at,
      }),
    );
    return { id: Number(lastInsertRowid), action: entry.action, details, actorId: entry.actor.id, actorName: entry.actor.name, at };
  }

  /** The server's latest changes, newest first. */
  latest(guildId: string | null, limit: number): TeacherAction[] {
    return this.db
      .prepare<[string, number], ActionRow>('SELECT * FROM teacher_actions WHERE server = ? ORDER BY id DESC LIMIT ?')
      .all(serverKey(guildId), limit)
      .map(toAction);
  }
}

function toAction(row: ActionRow): TeacherAction {
  const where = `teacher action ${row.id}`;
  return {
    id: row.id,
    action: checkColumn(row.action, actionSchema, `${where} (action)`),
    details: parseJsonColumn(row.details, detailsSchema, `${where} (details)`),
    actorId: row.actor_id,
    actorName: row.actor_name,
    at: row.created_at,
  };
}
