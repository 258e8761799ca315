import { z } from 'zod';
import { inWriteTransaction, type Database, type StoreOptions } from './database';
import { parseJsonColumn, readJson, toJsonText } from './json-column';

export const JOB_KINDS = ['train', 'exercise', 'predict', 'classify', 'class-model'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export type FinishedJobState = Extract<JobState, 'done' | 'failed' | 'cancelled'>;

/** Why a job ended without a result: a code for the program, a message for people. */
export const jobFailureSchema = z.object({ code: z.string().min(1), message: z.string() });
export type JobFailure = z.infer<typeof jobFailureSchema>;

/** The failure code of a job that was running when the bot stopped, once too often. */
export const INTERRUPTED_BY_RESTART = 'interrupted-by-restart';

/**
 * How often a job cut off by a restart is run again. Once: a job that brought the bot down each
 * time it ran would otherwise stop it at every start, and the whole class with it.
 */
export const RERUNS_AFTER_RESTART = 1;

export interface NewJob {
  kind: JobKind;
  /** Any JSON value; the caller checks it with its own schema when it reads the job back. */
  payload: unknown;
  userId: string;
  userName: string;
  guildId: string | null;
  channelId: string | null;
  locale: string;
  /** Higher runs first; equal priorities run oldest first. */
  priority: number;
  replyRef?: unknown;
}

export interface JobRow {
  id: number;
  kind: JobKind;
  payload: unknown;
  userId: string;
  userName: string;
  guildId: string | null;
  channelId: string | null;
  locale: string;
  priority: number;
  state: JobState;
  /** Milliseconds since 1970, like `Date.now()`. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  failure: JobFailure | null;
  runId: string | null;
  /** Where the bot's progress message lives (any JSON), so it can carry on after a restart. */
  replyRef: unknown;
  /** How often a restart of the bot cut this job off while it ran. */
  interruptions: number;
}

export interface FinishDetails {
  runId?: string;
  failure?: JobFailure;
}

/** What `cancel` did: only a queued job is cancelled here; a running one must be stopped first. */
export type QueuedJobCancelOutcome = 'cancelled' | 'running' | 'already-finished' | 'not-found';

export interface RecoveryReport {
  /** Jobs that were running when the bot stopped, queued again at the head of the queue. */
  rerun: JobRow[];
  /** Jobs that were running when the bot stopped and had been cut off before: now failed. */
  failed: JobRow[];
  /** Jobs that were running when the bot stopped and trained on without it (on workers elsewhere), to be taken up. */
  resumed: JobRow[];
  /** Jobs waiting, in run order (the ones run again or taken up among them). */
  requeued: JobRow[];
}

interface JobRecord {
  id: number;
  kind: JobKind;
  payload: string;
  user_id: string;
  user_name: string;
  guild_id: string | null;
  channel_id: string | null;
  locale: string;
  priority: number;
  state: JobState;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  failure: string | null;
  run_id: string | null;
  reply_ref: string | null;
  interruptions: number;
}

const RUN_ORDER = 'ORDER BY priority DESC, id ASC';

/**
 * The bot's job queue, kept in SQLite so queued jobs survive a restart.
 * A job moves queued -> running (claim) -> done | failed | cancelled (finish),
 * or queued -> cancelled (cancel); nothing moves it back.
 */
export class JobStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  enqueue(job: NewJob): JobRow {
    if (!Number.isSafeInteger(job.priority)) {
      throw new TypeError(`job priority must be an integer, not ${job.priority}`);
    }
    const insert = this.db.prepare(`
      INSERT INTO jobs (kind, payload, user_id, user_name, guild_id, channel_id, locale, priority,
                        state, created_at, reply_ref)
      VALUES (@kind, @payload, @userId, @userName, @guildId, @channelId, @locale, @priority,
              'queued', @createdAt, @replyRef)`);
    const id = this.write(() =>
      insert.run({
        kind: job.kind,
        payload: toJsonText(job.payload, 'job payload'),
        userId: job.userId,
        userName: job.userName,
        guildId: job.guildId,
        channelId: job.channelId,
        locale: job.locale,
        priority: job.priority,
        createdAt: this.now(),
        replyRef: job.replyRef === undefined ? null : toJsonText(job.replyRef, 'reply reference'),
      }),
    ).lastInsertRowid;
    return this.mustGet(Number(id));
  }

  /** The job that should run next, if any; `mayStart` holds some back (the jobs of a paused server). */
  next(mayStart: (job: JobRow) => boolean = () => true): JobRow | undefined {
    return this.queued().find(mayStart);
  }

  /** Marks a queued job running. False when it was not queued (another worker took it, or it was cancelled). */
  claim(id: number): boolean {
    const update = this.db.prepare(
      `UPDATE jobs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'`,
    );
    return this.write(() => update.run(this.now(), id)).changes === 1;
  }

  /** Ends a running job. False when it was not running. */
  finish(id: number, state: FinishedJobState, details: FinishDetails = {}): boolean {
    const update = this.db.prepare(`
      UPDATE jobs SET state = @state, finished_at = @finishedAt, run_id = @runId, failure = @failure
      WHERE id = @id AND state = 'running'`);
    const failure = details.failure === undefined ? null : toJsonText(jobFailureSchema.parse(details.failure), 'failure');
    const changes = this.write(
      () => update.run({ id, state, finishedAt: this.now(), runId: details.runId ?? null, failure }).changes,
    );
    return changes === 1;
  }

  cancel(id: number): QueuedJobCancelOutcome {
    const update = this.db.prepare(
      `UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'queued'`,
    );
    return this.write((): QueuedJobCancelOutcome => {
      if (update.run(this.now(), id).changes === 1) return 'cancelled';
      const job = this.get(id);
      if (!job) return 'not-found';
      return job.state === 'running' ? 'running' : 'already-finished';
    });
  }

  get(id: number): JobRow | undefined {
    const record = this.db.prepare<[number], JobRecord>('SELECT * FROM jobs WHERE id = ?').get(id);
    return record && toJobRow(record);
  }

  /** Every waiting job, in the order they will run. */
  queued(): JobRow[] {
    return this.db
      .prepare<[], JobRecord>(`SELECT * FROM jobs WHERE state = 'queued' ${RUN_ORDER}`)
      .all()
      .map(toJobRow);
  }

  /** The user's queued and running jobs, running first, then in run order. */
  activeForUser(userId: string): JobRow[] {
    return this.db
      .prepare<[string], JobRecord>(`
        SELECT * FROM jobs WHERE user_id = ? AND state IN ('queued', 'running')
        ORDER BY state = 'running' DESC, priority DESC, id ASC`)
      .all(userId)
      .map(toJobRow);
  }

  /** 1 for the job that runs next; undefined when the job is not queued. */
  position(id: number): number | undefined {
    const row = this.db
      .prepare<[number], { ahead: number }>(`
        SELECT (SELECT count(*) FROM jobs AS other
                WHERE other.state = 'queued'
                  AND (other.priority > job.priority OR (other.priority = job.priority AND other.id < job.id))
               ) AS ahead
        FROM jobs AS job WHERE job.id = ? AND job.state = 'queued'`)
      .get(id);
    return row && row.ahead + 1;
  }

  setReplyRef(id: number, ref: unknown): boolean {
    const update = this.db.prepare('UPDATE jobs SET reply_ref = ? WHERE id = ?');
    return this.write(() => update.run(toJsonText(ref, 'reply reference'), id)).changes === 1;
  }

  /**
   * Call once at start-up, before taking jobs. A job still marked running was cut off when the
   * bot stopped: it is queued again, where it was (its place in the run order is ahead of every job
   * queued after it), unless restarts cut it off RERUNS_AFTER_RESTART times already; then it is
   * marked failed with `reason`. Queued jobs stay. Nothing is lost, and nothing runs twice at once.
   * When the jobs `trainedOn` without the bot (on the workers behind Redis), a restart cut nothing
   * off: each is queued again where it was, to be taken up, and no restart is counted against it.
   */
  recoverAfterRestart(reason: string, { trainedOn = false }: { trainedOn?: boolean } = {}): RecoveryReport {
    const failure = toJsonText({ code: INTERRUPTED_BY_RESTART, message: reason } satisfies JobFailure, 'failure');
    const interrupted = this.db.prepare<[], { id: number; interruptions: number }>(`SELECT id, interruptions FROM jobs WHERE state = 'running' ORDER BY id`);
    const requeue = this.db.prepare(
      `UPDATE jobs SET state = 'queued', started_at = NULL, interruptions = interruptions + 1 WHERE id = ? AND state = 'running'`,
    );
    const markFailed = this.db.prepare(
      `UPDATE jobs SET state = 'failed', finished_at = ?, failure = ?, interruptions = interruptions + 1 WHERE id = ? AND state = 'running'`,
    );
    const takeUp = this.db.prepare(`UPDATE jobs SET state = 'queued', started_at = NULL WHERE id = ? AND state = 'running'`);
    return this.write(() => {
      const cutOff = interrupted.all();
      if (trainedOn) {
        for (const job of cutOff) takeUp.run(job.id);
        return { rerun: [], failed: [], resumed: cutOff.map((job) => this.mustGet(job.id)), requeued: this.queued() };
      }
      const finishedAt = this.now();
      const rerun = cutOff.filter((job) => job.interruptions < RERUNS_AFTER_RESTART).map((job) => job.id);
      const failed = cutOff.filter((job) => job.interruptions >= RERUNS_AFTER_RESTART).map((job) => job.id);
      for (const id of rerun) requeue.run(id);
      for (const id of failed) markFailed.run(finishedAt, failure, id);
      return { rerun: rerun.map((id) => this.mustGet(id)), failed: failed.map((id) => this.mustGet(id)), resumed: [], requeued: this.queued() };
    });
  }

  private write<T>(work: () => T): T {
    return inWriteTransaction(this.db, work);
  }

  private mustGet(id: number): JobRow {
    const job = this.get(id);
    if (!job) throw new Error(`job ${id} vanished while being written`);
    return job;
  }
}

function toJobRow(record: JobRecord): JobRow {
  const where = `job ${record.id}`;
  return {
    id: record.id,
    kind: record.kind,
    payload: readJson(record.payload, `${where} (payload)`),
    userId: record.user_id,
    userName: record.user_name,
    guildId: record.guild_id,
    channelId: record.channel_id,
    locale: record.locale,
    priority: record.priority,
    state: record.state,
    createdAt: record.created_at,
    startedAt: record.started_at,
    finishedAt: record.finished_at,
    failure: record.failure === null ? null : parseJsonColumn(record.failure, jobFailureSchema, `${where} (failure)`),
    runId: record.run_id,
    replyRef: record.reply_ref === null ? null : readJson(record.reply_ref, `${where} (reply reference)`),
    interruptions: record.interruptions,
  };
}
