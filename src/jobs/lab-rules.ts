import type { RunFailure } from '../experiments/results';
import { applyOverrides, type ServerLimits } from '../experiments/server-limits';
import { experimentSpecSchema, storedSpecSchema, type ExperimentSpec } from '../experiments/spec';
import type { Result } from '../result';
import type { JobRow } from '../store/jobs';
import type { RunStore } from '../store/runs';
import type { ServerSettingsStore } from '../store/server-settings';

/** The daily quota counts the last 24 hours, whatever the time zone of the class (see README). */
export const QUOTA_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Why a job may not be queued: the student's daily quota is used up, or its settings are over the server's limits. */
export type AdmissionRefusal =
  | { reason: 'daily-quota'; jobsPerDay: number; nextAt: number }
  | { reason: 'over-limits'; limits: ServerLimits };

/** What a job runs with: its settings checked against today's limits, and the most training images it may use. */
export type JobSettings = Result<{ spec: ExperimentSpec; trainExamples: number }, { failure: RunFailure }>;

/** A request to queue a job, as the rules see it. */
export interface Admittable {
  user: { id: string };
  guildId: string | null;
  spec: ExperimentSpec;
}

/**
 * What the queue asks the teacher's rules: whether a job may be queued (at submit), whether a
 * waiting job may be handed to a trainer now (when picking the next), and with which settings.
 * A queue of any shape (one trainer, a pool, BullMQ) asks the same three questions.
 */
export interface QueueRules {
  admit(request: Admittable): AdmissionRefusal | null;
  mayDispatch(job: JobRow): boolean;
  settingsToRun(job: JobRow, storedSpec: unknown): JobSettings;
}

/** Where a student stands with the daily quota. */
export interface QuotaUse {
  used: number;
  jobsPerDay: number | null;
  /** When the next job is possible again; null while it is possible now. */
  nextAt: number | null;
}

export interface LabRulesOptions {
  settings: ServerSettingsStore;
  runs: RunStore;
  /** The configuration's limits: the defaults, and the most a teacher may set. */
  configured: ServerLimits;
  now?: () => number;
}

/**
 * The rules a teacher sets for a server, from its stored settings: paused labs hold their jobs,
 * limits bound new and waiting jobs, and the daily quota bounds each student.
 */
export class LabRules implements QueueRules {
  private readonly now: () => number;

  constructor(private readonly options: LabRulesOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The configuration's limits, which `/teacher limits reset` goes back to. */
  get configured(): ServerLimits {
    return this.options.configured;
  }

  /** The server's limits today: the configuration's, with what its teacher changed. */
  limitsOf(guildId: string | null): ServerLimits {
    return applyOverrides(this.options.configured, this.options.settings.overridesOf(guildId));
  }

  /**
   * A student's use of the daily quota: the runs saved in the last 24 hours (a job cancelled before
   * it started, or one that could not start, saves none and so does not count).
   */
  quotaOf(guildId: string | null, userId: string): QuotaUse {
    const { jobsPerDay } = this.limitsOf(guildId);
    const times = this.options.runs.savedTimesSince(guildId, userId, this.now() - QUOTA_WINDOW_MS);
    const nextAt = jobsPerDay !== null && times.length >= jobsPerDay ? times[times.length - jobsPerDay] + QUOTA_WINDOW_MS : null;
    return { used: times.length, jobsPerDay, nextAt };
  }

  admit(request: Admittable): AdmissionRefusal | null {
    const limits = this.limitsOf(request.guildId);
    if (!experimentSpecSchema(limits).safeParse(request.spec).success) return { reason: 'over-limits', limits };
    const quota = this.quotaOf(request.guildId, request.user.id);
    if (quota.jobsPerDay !== null && quota.nextAt !== null) return { reason: 'daily-quota', jobsPerDay: quota.jobsPerDay, nextAt: quota.nextAt };
    return null;
  }

  /** A paused server's jobs wait; the running job is not this rule's business. */
  mayDispatch(job: JobRow): boolean {
    return this.options.settings.pauseOf(job.guildId) === null;
  }

  /** The job's settings under its server's limits now: a teacher may have lowered them while it waited. */
  settingsToRun(job: JobRow, storedSpec: unknown): JobSettings {
    const stored = storedSpecSchema.safeParse(storedSpec);
    if (!stored.success) return { ok: false, failure: { code: 'internal', params: {}, detail: `job ${job.id} holds settings that are not a spec: ${stored.error.message}` } };
    const limits = this.limitsOf(job.guildId);
    const today = experimentSpecSchema(limits).safeParse(stored.data);
    if (today.success) return { ok: true, spec: today.data, trainExamples: limits.trainExamples };
    const { maxEpochs, maxUnits, maxBatchSize } = limits;
    return {
      ok: false,
      failure: { code: 'over-limits', params: { maxEpochs, maxUnits, maxBatchSize }, detail: `job ${job.id} no longer fits its server's limits: ${today.error.message}` },
    };
  }
}
