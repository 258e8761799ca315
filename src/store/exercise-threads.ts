import { inWriteTransaction, type Database, type StoreOptions } from './database';

/** Which exercise thread (in one channel of one server) the bot opened. */
export interface ExerciseThreadKey {
  guildId: string;
  channelId: string;
  exercise: number;
}

export interface ExerciseThread extends ExerciseThreadKey {
  threadId: string;
  /** The pinned summary message the bot keeps up to date; null until it is posted. */
  summaryMessageId: string | null;
  updatedAt: number;
}

interface ExerciseThreadRecord {
  guild_id: string;
  channel_id: string;
  exercise: number;
  thread_id: string;
  summary_message_id: string | null;
  updated_at: number;
}

/** Remembers each exercise's thread so every attempt at the exercise lands in the same one. */
export class ExerciseThreadStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  get(key: ExerciseThreadKey): ExerciseThread | undefined {
    const record = this.db
      .prepare<ExerciseThreadKey, ExerciseThreadRecord>(`
        SELECT * FROM exercise_threads
        WHERE guild_id = @guildId AND channel_id = @channelId AND exercise = @exercise`)
      .get(key);
    return record && toExerciseThread(record);
  }

  /** Every exercise thread of a server, by channel and exercise. */
  threadsOf(guildId: string): ExerciseThread[] {
    return this.db
      .prepare<[string], ExerciseThreadRecord>('SELECT * FROM exercise_threads WHERE guild_id = ? ORDER BY channel_id, exercise')
      .all(guildId)
      .map(toExerciseThread);
  }

  /** Records the thread of an exercise (a new one replaces one that was deleted in Discord). */
  saveThread(key: ExerciseThreadKey, threadId: string): ExerciseThread {
    const upsert = this.db.prepare(`
      INSERT INTO exercise_threads (guild_id, channel_id, exercise, thread_id, summary_message_id, updated_at)
      VALUES (@guildId, @channelId, @exercise, @threadId, NULL, @updatedAt)
      ON CONFLICT (guild_id, channel_id, exercise)
      DO UPDATE SET thread_id = excluded.thread_id, summary_message_id = NULL, updated_at = excluded.updated_at`);
    return this.writeAndRead(key, () => upsert.run({ ...keyParams(key), threadId, updatedAt: this.now() }));
  }

  /** Records the pinned summary message of a known thread. */
  setSummaryMessage(key: ExerciseThreadKey, messageId: string): ExerciseThread {
    const update = this.db.prepare(`
      UPDATE exercise_threads SET summary_message_id = @messageId, updated_at = @updatedAt
      WHERE guild_id = @guildId AND channel_id = @channelId AND exercise = @exercise`);
    return this.writeAndRead(key, () => update.run({ ...keyParams(key), messageId, updatedAt: this.now() }));
  }

  /** Forgets a thread (it was deleted in Discord); the next run opens a new one. */
  forget(key: ExerciseThreadKey): boolean {
    const remove = this.db.prepare(`
      DELETE FROM exercise_threads
      WHERE guild_id = @guildId AND channel_id = @channelId AND exercise = @exercise`);
    return inWriteTransaction(this.db, () => remove.run(keyParams(key))).changes === 1;
  }

  private writeAndRead(key: ExerciseThreadKey, write: () => unknown): ExerciseThread {
    return inWriteTransaction(this.db, () => {
      write();
      const thread = this.get(key);
      if (!thread) {
        throw new Error(`no thread is recorded for exercise ${key.exercise} in channel ${key.channelId}`);
      }
      return thread;
    });
  }
}

/** Only the key's own fields, so a caller's extra properties never reach the statement. */
function keyParams(key: ExerciseThreadKey): ExerciseThreadKey {
  return { guildId: key.guildId, channelId: key.channelId, exercise: key.exercise };
}

function toExerciseThread(record: ExerciseThreadRecord): ExerciseThread {
  return {
    guildId: record.guild_id,
    channelId: record.channel_id,
    exercise: record.exercise,
    threadId: record.thread_id,
    summaryMessageId: record.summary_message_id,
    updatedAt: record.updated_at,
  };
}
