import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { exerciseNumberSchema, type ExerciseNumber } from '../experiments/exercises';
import type { BatchProgress, EpochMetrics, RunFailure, RunResult } from '../experiments/results';
import type { ExperimentSpec } from '../experiments/spec';
import type { Result } from '../result';
import type { JobRow, JobStore } from '../store/jobs';
import type { RunStore, StoredRun } from '../store/runs';
import type { ClassModelRecord, ClassModelStore } from '../store/class-models';
import type { AdmissionRefusal, QueueRules } from './lab-rules';
import type { TrainerClient, TrainListener } from './trainer-client';

/** What a queued training job carries (stored as JSON in the jobs table, checked on the way out). */
export const trainingPayloadSchema = z.object({
  runId: z.string(),
  spec: z.record(z.string(), z.unknown()),
  exercise: exerciseNumberSchema.nullable(),
});
export type TrainingPayload = z.infer<typeof trainingPayloadSchema>;

export interface TrainingRequest {
  spec: ExperimentSpec;
  exercise: ExerciseNumber | null;
  user: { id: string; name: string };
  guildId: string | null;
  channelId: string | null;
  locale: string;
  replyRef?: unknown;
}

export interface Submission {
  job: JobRow;
  runId: string;
  position: number;
  estimateSeconds: number;
}

/** Why a job was not queued; the commands put it into words. */
export type SubmitRefusal = { reason: 'already-queued'; job: JobRow } | { reason: 'queue-full'; cap: number } | AdmissionRefusal;

export type SubmitOutcome = Result<Submission, SubmitRefusal>;

export type CancelOutcome = 'cancelled' | 'stopping' | 'not-yours' | 'not-found' | 'already-finished';

/** How a job ended: a stored run (completed or failed with an explanation), or a failure without a run. */
export interface JobEnd {
  job: JobRow;
  run: StoredRun | null;
  /** Set when the job trained the class model. */
  classModel: ClassModelRecord | null;
  failure: RunFailure | null;
  cancelled: boolean;
  /** Who cancelled the waiting job, when it was not its owner (a teacher). */
  cancelledBy?: { id: string; name: string };
}

export interface JobListener {
  onStart?: (job: JobRow) => void;
  onEpoch?: (metrics: EpochMetrics, job: JobRow) => void;
  onBatch?: (progress: BatchProgress, job: JobRow) => void;
  onEnd?: (end: JobEnd) => void;
}

export interface JobQueueOptions {
  jobs: JobStore;
  runs: RunStore;
  classModels: ClassModelStore;
  trainer: TrainerClient;
  modelDir: string | null;
  classModelDir: string;
  queueCap: number;
  /** The teacher's rules: whether a job may be queued, whether a waiting one may start now, and with what. */
  rules: QueueRules;
  log?: (message: string) => void;
  /** Called for jobs nobody is watching, e.g. jobs queued before a restart of the bot. */
  onUnwatchedEnd?: (end: JobEnd) => void;
}

/** Seconds per epoch assumed before any run has been timed on this machine. */
const FIRST_GUESS_SECONDS_PER_EPOCH = 20;
/** The class model runs before queued training: classifications are waiting on it. */
const CLASS_MODEL_PRIORITY = 10;
const CLASS_MODEL_EPOCHS_GUESS = 5;

export interface ClassModelSubmission {
  job: JobRow;
  estimateSeconds: number;
}

function unexpected(kind: string): RunFailure {
  return { code: 'internal', params: {}, detail: `the trainer answered a ${kind} result for this job` };
}

export function newRunId(): string {
  return `r${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/**
 * The bot's training queue: persisted in SQLite, one job at a time in the trainer process,
 * one queued or running job per user, and a cap on the queue's length.
 */
export class JobQueue {
  private readonly listeners = new Map<number, JobListener[]>();
  private current: JobRow | null = null;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private lastSecondsPerEpoch: number | null = null;

  constructor(private readonly options: JobQueueOptions) {}

  /** Marks jobs cut off by a restart as failed and starts on those still queued. */
  start(): { failed: JobRow[]; requeued: JobRow[] } {
    const report = this.options.jobs.recoverAfterRestart('the bot restarted while this job was running');
    this.kick();
    return report;
  }

  /** Queues a training job; `listener` follows it from start to end. */
  submit(request: TrainingRequest, listener: JobListener = {}): SubmitOutcome {
    const [active] = this.options.jobs.activeForUser(request.user.id);
    if (active) return { ok: false, reason: 'already-queued', job: active };
    const refused = this.options.rules.admit(request);
    if (refused) return { ok: false, ...refused };
    const waiting = this.options.jobs.queued();
    if (waiting.length >= this.options.queueCap) return { ok: false, reason: 'queue-full', cap: this.options.queueCap };
    const runId = newRunId();
    const payload: TrainingPayload = { runId, spec: request.spec, exercise: request.exercise };
    const job = this.options.jobs.enqueue({
      kind: request.exercise === null ? 'train' : 'exercise',
      payload,
      userId: request.user.id,
      userName: request.user.name,
      guildId: request.guildId,
      channelId: request.channelId,
      locale: request.locale,
      priority: 0,
      replyRef: request.replyRef,
    });
    const position = (this.options.jobs.position(job.id) ?? 1) + (this.current ? 1 : 0);
    const epochsAhead = [...waiting, ...(this.current ? [this.current] : [])].reduce((sum, row) => sum + this.epochsOf(row), 0);
    const estimateSeconds = (epochsAhead + request.spec.epochs) * (this.lastSecondsPerEpoch ?? FIRST_GUESS_SECONDS_PER_EPOCH);
    this.follow(job.id, listener);
    return { ok: true, job, runId, position, estimateSeconds };
  }

  /**
   * Queues the training of the class model (the model for photos) ahead of training runs, unless
   * it is already queued or running; `listener` follows that job either way.
   */
  submitClassModel(requestedBy: { id: string; name: string }, place: { guildId: string | null; channelId: string | null; locale: string }, listener: JobListener): ClassModelSubmission {
    const existing = [...(this.current ? [this.current] : []), ...this.options.jobs.queued()].find((job) => job.kind === 'class-model');
    const job =
      existing ??
      this.options.jobs.enqueue({
        kind: 'class-model',
        payload: {},
        userId: requestedBy.id,
        userName: requestedBy.name,
        guildId: place.guildId,
        channelId: place.channelId,
        locale: place.locale,
        priority: CLASS_MODEL_PRIORITY,
      });
    const estimateSeconds = CLASS_MODEL_EPOCHS_GUESS * (this.lastSecondsPerEpoch ?? FIRST_GUESS_SECONDS_PER_EPOCH) * 3;
    this.follow(job.id, listener);
    return { job, estimateSeconds };
  }

  private follow(jobId: number, listener: JobListener): void {
    this.listeners.set(jobId, [...(this.listeners.get(jobId) ?? []), listener]);
    this.kick();
  }

  cancel(jobId: number, requester: { id: string; name: string; isTeacher: boolean }): CancelOutcome {
    const job = this.options.jobs.get(jobId);
    if (!job) return 'not-found';
    if (job.userId !== requester.id && !requester.isTeacher) return 'not-yours';
    if (this.current?.id === jobId) {
      this.options.trainer.cancel(String(jobId));
      return 'stopping';
    }
    const outcome = this.options.jobs.cancel(jobId);
    const cancelledBy = job.userId === requester.id ? undefined : { id: requester.id, name: requester.name };
    if (outcome === 'cancelled') this.end({ job: this.options.jobs.get(jobId) ?? job, run: null, classModel: null, failure: null, cancelled: true, cancelledBy });
    return outcome === 'cancelled' ? 'cancelled' : outcome === 'not-found' ? 'not-found' : 'already-finished';
  }

  running(): JobRow | null {
    return this.current;
  }

  waiting(): JobRow[] {
    return this.options.jobs.queued();
  }

  /** Looks again for a job that may start, after a rule that held jobs back changed (a lab resumed). */
  wake(): void {
    this.kick();
  }

  /** Resolves when the queue is empty and nothing runs (for tests and a clean shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.current) this.options.trainer.cancel(String(this.current.id));
    await this.idle();
  }

  private epochsOf(job: JobRow): number {
    const payload = trainingPayloadSchema.safeParse(job.payload);
    const epochs = payload.success ? payload.data.spec.epochs : undefined;
    return typeof epochs === 'number' ? epochs : 5;
  }

  /**
   * Starts the drain loop unless it is already running. A job queued while a finished loop was
   * winding down is picked up by the check in `finally`.
   */
  private kick(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.nextToRun()) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let job = this.nextToRun(); job && !this.stopped; job = this.nextToRun()) {
      if (!this.options.jobs.claim(job.id)) continue;
      this.current = this.options.jobs.get(job.id) ?? job;
      try {
        await this.run(this.current);
      } catch (error) {
        this.options.log?.(`job ${job.id} failed unexpectedly: ${String(error)}`);
        const failure: RunFailure = { code: 'internal', params: {}, detail: String(error) };
        this.options.jobs.finish(job.id, 'failed', { failure: { code: failure.code, message: failure.detail } });
        this.end({ job: this.current, run: null, classModel: null, failure, cancelled: false });
      } finally {
        this.current = null;
      }
    }
  }

  private nextToRun(): JobRow | undefined {
    return this.options.jobs.next((job) => this.options.rules.mayDispatch(job));
  }

  private async run(job: JobRow): Promise<void> {
    const listeners = this.listeners.get(job.id) ?? [];
    for (const listener of listeners) listener.onStart?.(job);
    const progress = {
      onEpoch: (metrics: EpochMetrics) => listeners.forEach((listener) => listener.onEpoch?.(metrics, job)),
      onBatch: (batch: BatchProgress) => listeners.forEach((listener) => listener.onBatch?.(batch, job)),
    };
    if (job.kind === 'class-model') await this.runClassModel(job, progress);
    else await this.runTraining(job, progress);
  }

  private async runTraining(job: JobRow, progress: TrainListener): Promise<void> {
    const payload = trainingPayloadSchema.parse(job.payload);
    const settings = this.options.rules.settingsToRun(job, payload.spec);
    if (!settings.ok) return this.fail(job, settings.failure);
    const { spec, trainExamples } = settings;
    const outcome = await this.options.trainer.train(String(job.id), payload.runId, spec, this.options.modelDir, progress, trainExamples);
    if (outcome.kind !== 'run') return this.fail(job, outcome.kind === 'failed' ? outcome.failure : unexpected(outcome.kind));
    this.rememberSpeed(outcome.result);
    const run = this.options.runs.saveRun({
      runId: payload.runId,
      jobId: job.id,
      ownerId: job.userId,
      ownerName: job.userName,
      guildId: job.guildId,
      channelId: job.channelId,
      exercise: payload.exercise,
      spec,
      result: outcome.result,
    });
    const cancelled = outcome.result.stopReason.kind === 'cancelled';
    this.options.jobs.finish(job.id, cancelled ? 'cancelled' : 'done', { runId: payload.runId });
    this.end({ job, run, classModel: null, failure: null, cancelled });
  }

  private async runClassModel(job: JobRow, progress: TrainListener): Promise<void> {
    const outcome = await this.options.trainer.trainClassModel(String(job.id), this.options.classModelDir, progress);
    if (outcome.kind !== 'class-model') return this.fail(job, outcome.kind === 'failed' ? outcome.failure : unexpected(outcome.kind));
    if (!outcome.report) {
      this.options.jobs.finish(job.id, 'cancelled');
      return this.end({ job, run: null, classModel: null, failure: null, cancelled: true });
    }
    const classModel = this.options.classModels.save({
      path: this.options.classModelDir,
      testAccuracy: outcome.report.testAccuracy,
      trainingSeconds: outcome.report.seconds,
    });
    this.options.jobs.finish(job.id, 'done');
    this.end({ job, run: null, classModel, failure: null, cancelled: false });
  }

  private fail(job: JobRow, failure: RunFailure): void {
    this.options.jobs.finish(job.id, 'failed', { failure: { code: failure.code, message: failure.detail } });
    this.end({ job, run: null, classModel: null, failure, cancelled: false });
  }

  private rememberSpeed(result: RunResult): void {
    if (result.secondsPerEpoch !== null) this.lastSecondsPerEpoch = result.secondsPerEpoch;
  }

  private end(end: JobEnd): void {
    const listeners = (this.listeners.get(end.job.id) ?? []).filter((listener) => listener.onEnd);
    this.listeners.delete(end.job.id);
    if (listeners.length === 0) this.options.onUnwatchedEnd?.(end);
    for (const listener of listeners) listener.onEnd?.(end);
  }
}
