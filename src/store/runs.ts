import { z } from 'zod';
import { exerciseNumberSchema, type ExerciseNumber } from '../experiments/exercises';
import { runResultSchema, type EpochMetrics, type RunResult } from '../experiments/results';
import { storedSpecSchema, type ExperimentSpec } from '../experiments/spec';
import { inWriteTransaction, type Database, type StoreOptions } from './database';
import { checkColumn, summariseIssues, parseJsonColumn, toJsonText } from './json-column';
import { reproducibleSpecHash } from './spec-hash';
import { currentTermStartSql, termNameSql } from './terms';

/** The exercise column: an exercise's number, or null for a run of /train. */
const storedExerciseSchema = exerciseNumberSchema.nullable();

/** The result without its epochs, which live in their own table. */
const storedResultSchema = runResultSchema.omit({ epochs: true });

/** Runs that ended with a tested model: the ones the leaderboard ranks and `/train` may offer again. */
const FINISHED = `stop_kind IN ('completed', 'target-reached', 'early-stopped')`;

/** Runs no teacher removed: the ones the class's results show. */
const SHOWN = 'removed_at IS NULL';

/** Runs of the server's current term (for queries whose parameters carry `@guildId`). */
const THIS_TERM = `created_at >= ${currentTermStartSql('@guildId')}`;

export interface NewRun {
  /** Made by the caller, e.g. `r` + base36. */
  runId: string;
  jobId?: number | null;
  ownerId: string;
  ownerName: string;
  /** Null outside a server (console mode); null matches null in every query. */
  guildId: string | null;
  channelId: string | null;
  exercise: ExerciseNumber | null;
  spec: ExperimentSpec;
  result: RunResult;
}

export interface StoredRun {
  runId: string;
  jobId: number | null;
  ownerId: string;
  ownerName: string;
  guildId: string | null;
  channelId: string | null;
  exercise: ExerciseNumber | null;
  spec: ExperimentSpec;
  result: RunResult;
  /** Milliseconds since 1970, when the run was saved. */
  createdAt: number;
  /** The name of the term it was saved in; null before the server's first term. */
  term: string | null;
  /** When a teacher removed it from the class's results (it stays in the store); null while shown. */
  removedAt: number | null;
}

export interface LeaderboardEntry {
  /** 1 for the best. */
  rank: number;
  /** The student's best run: highest test accuracy, then shortest total training time. */
  run: StoredRun;
}

export interface HistoryQuery {
  guildId: string | null;
  /** Omit for everyone's runs in the server. */
  userId?: string;
  limit: number;
}

export class InvalidRunError extends Error {}

interface RunRow {
  run_id: string;
  job_id: number | null;
  owner_id: string;
  owner_name: string;
  guild_id: string | null;
  channel_id: string | null;
  exercise: number | null;
  spec: string;
  result: string;
  created_at: number;
  removed_at: number | null;
  term_name: string | null;
}

/** A run's row joined with one of its epochs (all null for a run without epochs). */
interface RunEpochRow extends RunRow {
  picked_order: number;
  epoch_number: number | null;
  epoch_loss: number;
  epoch_accuracy: number;
  epoch_val_loss: number | null;
  epoch_val_accuracy: number | null;
  epoch_seconds: number;
}

/** Which runs a query picks, and in what order (a total order, so that LIMIT and numbering agree). */
interface RunPick {
  /** The runs table, or a query that yields its rows under the name `runs`. */
  from?: string;
  where: string;
  order: string;
  /** Set when the parameters carry `@limit`. */
  limited?: boolean;
}

/** Newest first; rowid breaks ties between runs saved in the same millisecond. */
const NEWEST_FIRST = 'created_at DESC, rowid DESC';
const OLDEST_FIRST = 'created_at ASC, rowid ASC';

export class RunStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Saves a finished run and its epochs in one transaction. */
  saveRun(run: NewRun): StoredRun {
    const spec = validated(storedSpecSchema, run.spec, `spec of run ${run.runId}`);
    const result = validated(runResultSchema, run.result, `result of run ${run.runId}`);
    if (result.runId !== run.runId) {
      throw new InvalidRunError(`run ${run.runId} was given the result of run ${result.runId}`);
    }
    const { epochs, ...resultWithoutEpochs } = result;
    const insertRun = this.db.prepare(`
      INSERT INTO runs (run_id, job_id, owner_id, owner_name, guild_id, channel_id, exercise, spec,
                        spec_hash, result, stop_kind, test_accuracy, seconds, train_examples, created_at)
      VALUES (@runId, @jobId, @ownerId, @ownerName, @guildId, @channelId, @exercise, @spec,
              @specHash, @result, @stopKind, @testAccuracy, @seconds, @trainExamples, @createdAt)`);
    const insertEpoch = this.db.prepare(`
      INSERT INTO epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, seconds)
      VALUES (@runId, @epoch, @loss, @accuracy, @valLoss, @valAccuracy, @seconds)`);
    inWriteTransaction(this.db, () => {
      insertRun.run({
        runId: run.runId,
        jobId: run.jobId ?? null,
        ownerId: run.ownerId,
        ownerName: run.ownerName,
        guildId: run.guildId,
        channelId: run.channelId,
        exercise: run.exercise,
        spec: toJsonText(spec, 'spec'),
        specHash: reproducibleSpecHash(spec),
        result: toJsonText(resultWithoutEpochs, 'result'),
        stopKind: result.stopReason.kind,
        testAccuracy: result.evaluation?.testAccuracy ?? null,
        seconds: result.seconds,
        trainExamples: result.trainExamples,
        createdAt: this.now(),
      });
      for (const epoch of epochs) insertEpoch.run({ runId: run.runId, ...epoch });
    });
    return this.mustGetRun(run.runId);
  }

  getRun(runId: string): StoredRun | undefined {
    return this.pick({ where: 'run_id = @runId', order: 'rowid' }, { runId })[0];
  }

  history({ guildId, userId, limit }: HistoryQuery): StoredRun[] {
    return this.pick(
      { where: 'guild_id IS @guildId AND (@userId IS NULL OR owner_id = @userId)', order: NEWEST_FIRST, limited: true },
      { guildId, userId: userId ?? null, limit },
    );
  }

  /** The user's latest run that no teacher removed. */
  lastRun(guildId: string | null, userId: string): StoredRun | undefined {
    return this.pick(
      { where: `guild_id IS @guildId AND owner_id = @userId AND ${SHOWN}`, order: NEWEST_FIRST, limited: true },
      { guildId, userId, limit: 1 },
    )[0];
  }

  /** The user's run saved just before `beforeRunId` (for the Compare button). */
  previousRun(guildId: string | null, userId: string, beforeRunId: string): StoredRun | undefined {
    return this.pick(
      {
        from: 'runs, runs AS later',
        where: `later.run_id = @before
          AND runs.guild_id IS @guildId AND runs.owner_id = @userId
          AND (runs.created_at < later.created_at
               OR (runs.created_at = later.created_at AND runs.rowid < later.rowid))`,
        order: 'runs.created_at DESC, runs.rowid DESC',
        limited: true,
      },
      { guildId, userId, before: beforeRunId, limit: 1 },
    )[0];
  }

  /** Every attempt at one exercise in the server's current term, oldest first (removed runs left out). */
  runsOfExercise(guildId: string | null, exercise: number): StoredRun[] {
    return this.pick({ where: `guild_id IS @guildId AND exercise = @exercise AND ${SHOWN} AND ${THIS_TERM}`, order: OLDEST_FIRST }, { guildId, exercise });
  }

  /**
   * Each student's best finished run of the current term, best first: higher test accuracy, then
   * shorter total training time, then whoever got there first. Removed runs are left out.
   */
  leaderboard(guildId: string | null, exercise?: number): LeaderboardEntry[] {
    const best = this.pick(
      {
        from: `(
          SELECT runs.*, rowid AS saved_order, ROW_NUMBER() OVER (
            PARTITION BY owner_id ORDER BY test_accuracy DESC, seconds ASC, created_at ASC, rowid ASC
          ) AS nth_best
          FROM runs
          WHERE guild_id IS @guildId AND ${FINISHED} AND test_accuracy IS NOT NULL AND ${SHOWN} AND ${THIS_TERM}
            AND (@exercise IS NULL OR exercise = @exercise)
        ) AS runs`,
        where: 'nth_best = 1',
        order: 'test_accuracy DESC, seconds ASC, created_at ASC, saved_order ASC',
      },
      { guildId, exercise: exercise ?? null },
    );
    return best.map((run, index) => ({ rank: index + 1, run }));
  }

  /**
   * The newest finished run of the current term in the server with exactly this spec, to offer
   * instead of training again (not a removed one). Only seeded specs qualify (see
   * `reproducibleSpecHash`). Pass `trainExamples` so a run made on a different number of training
   * images is not offered as the same.
   */
  findFinishedBySpec(guildId: string | null, spec: ExperimentSpec, trainExamples?: number): StoredRun | undefined {
    const specHash = reproducibleSpecHash(validated(storedSpecSchema, spec, 'spec'));
    if (specHash === null) return undefined;
    return this.pick(
      {
        where: `guild_id IS @guildId AND spec_hash = @specHash AND ${FINISHED} AND ${SHOWN} AND ${THIS_TERM}
          AND (@trainExamples IS NULL OR train_examples = @trainExamples)`,
        order: NEWEST_FIRST,
        limited: true,
      },
      { guildId, specHash, trainExamples: trainExamples ?? null, limit: 1 },
    )[0];
  }

  /**
   * For autocomplete: runs whose id starts with `query` or whose owner's name contains it, newest
   * first; the shown ones, or (for a teacher restoring one) the removed ones.
   */
  searchRuns(guildId: string | null, query: string, limit: number, which: 'shown' | 'removed' = 'shown'): StoredRun[] {
    const literal = escapeLike(query);
    return this.pick(
      {
        where: `guild_id IS @guildId AND (removed_at IS NOT NULL) = @removed
          AND (run_id LIKE @idPrefix ESCAPE '\\' OR owner_name LIKE @namePart ESCAPE '\\')`,
        order: NEWEST_FIRST,
        limited: true,
      },
      { guildId, idPrefix: `${literal}%`, namePart: `%${literal}%`, limit, removed: which === 'removed' ? 1 : 0 },
    );
  }

  /** Every run of the server, removed ones and those of earlier terms too, oldest first (for `/export`). */
  runsOfServer(guildId: string | null): StoredRun[] {
    return this.pick({ where: 'guild_id IS @guildId', order: OLDEST_FIRST }, { guildId });
  }

  /**
   * Who ran the server's latest `limit` shown runs, newest first, one entry per run (without the
   * runs: for the "last run of" choices of /compare).
   */
  recentOwners(guildId: string | null, limit: number): { ownerId: string; ownerName: string }[] {
    return this.db
      .prepare<{ guildId: string | null; limit: number }, { ownerId: string; ownerName: string }>(`
        SELECT owner_id AS ownerId, owner_name AS ownerName FROM runs
        WHERE guild_id IS @guildId AND ${SHOWN} ORDER BY ${NEWEST_FIRST} LIMIT @limit`)
      .all({ guildId, limit });
  }

  /**
   * Removes a run from the class's results (leaderboard, exercise summaries, /compare's choices,
   * identical-run offers), or shows it again; it stays in the store, in /history and in /export.
   * False when the run does not exist or already was so.
   */
  setRemoved(runId: string, removed: boolean): boolean {
    const update = this.db.prepare(`
      UPDATE runs SET removed_at = @removedAt
      WHERE run_id = @runId AND (removed_at IS NULL) = @wasShown`);
    return inWriteTransaction(this.db, () => update.run({ runId, removedAt: removed ? this.now() : null, wasShown: removed ? 1 : 0 })).changes === 1;
  }

  /** When the user's runs in the server were saved since `since`, oldest first (for the daily quota). */
  savedTimesSince(guildId: string | null, userId: string, since: number): number[] {
    return this.db
      .prepare<{ guildId: string | null; userId: string; since: number }, { createdAt: number }>(`
        SELECT created_at AS createdAt FROM runs
        WHERE guild_id IS @guildId AND owner_id = @userId AND created_at > @since ORDER BY ${OLDEST_FIRST}`)
      .all({ guildId, userId, since })
      .map((row) => row.createdAt);
  }

  /** The runs a query picks, each with its epochs, in one query (not one more per run). */
  private pick(pick: RunPick, params: Record<string, string | number | null>): StoredRun[] {
    const rows = this.db
      .prepare<Record<string, string | number | null>, RunEpochRow>(`
        WITH picked AS (
          SELECT runs.*, ${termNameSql('runs.guild_id', 'runs.created_at')} AS term_name, ROW_NUMBER() OVER (ORDER BY ${pick.order}) AS picked_order
          FROM ${pick.from ?? 'runs'}
          WHERE ${pick.where}
          ORDER BY ${pick.order}${pick.limited ? ' LIMIT @limit' : ''}
        )
        SELECT picked.*, epochs.epoch AS epoch_number, epochs.loss AS epoch_loss, epochs.accuracy AS epoch_accuracy,
               epochs.val_loss AS epoch_val_loss, epochs.val_accuracy AS epoch_val_accuracy, epochs.seconds AS epoch_seconds
        FROM picked LEFT JOIN epochs ON epochs.run_id = picked.run_id
        ORDER BY picked.picked_order, epochs.epoch`)
      .all(params);
    const picked: { row: RunEpochRow; epochs: EpochMetrics[] }[] = [];
    for (const row of rows) {
      const last = picked.at(-1);
      const run = last?.row.picked_order === row.picked_order ? last : picked[picked.push({ row, epochs: [] }) - 1];
      if (row.epoch_number !== null) run.epochs.push(epochOf(row, row.epoch_number));
    }
    return picked.map(({ row, epochs }) => this.toStoredRun(row, epochs));
  }

  private mustGetRun(runId: string): StoredRun {
    const run = this.getRun(runId);
    if (!run) throw new Error(`run ${runId} vanished while being written`);
    return run;
  }

  private toStoredRun(record: RunRow, epochs: EpochMetrics[]): StoredRun {
    const where = `run ${record.run_id}`;
    const spec = parseJsonColumn(record.spec, storedSpecSchema, `${where} (spec)`);
    const result = parseJsonColumn(record.result, storedResultSchema, `${where} (result)`);
    return {
      runId: record.run_id,
      jobId: record.job_id,
      ownerId: record.owner_id,
      ownerName: record.owner_name,
      guildId: record.guild_id,
      channelId: record.channel_id,
      exercise: checkColumn(record.exercise, storedExerciseSchema, `${where} (exercise)`),
      spec,
      result: { ...result, epochs },
      createdAt: record.created_at,
      term: record.term_name,
      removedAt: record.removed_at,
    };
  }
}

function epochOf(row: RunEpochRow, epoch: number): EpochMetrics {
  return {
    epoch,
    loss: row.epoch_loss,
    accuracy: row.epoch_accuracy,
    valLoss: row.epoch_val_loss,
    valAccuracy: row.epoch_val_accuracy,
    seconds: row.epoch_seconds,
  };
}

function validated<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidRunError(`The ${what} cannot be stored: ${summariseIssues(parsed.error)}`, { cause: parsed.error });
}

/** Makes % and _ in user text match themselves in a LIKE pattern (with ESCAPE '\'). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
