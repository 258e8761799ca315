import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { exerciseNumberSchema, type ExerciseNumber } from '../experiments/exercises';
import type { BatchProgress, EpochMetrics, RunFailure, RunResult } from '../experiments/results';
import type { ExperimentSpec } from '../experiments/spec';
import type { Result } from '../result';
import type { FinishDetails, FinishedJobState, JobRow, JobStore, NewJob, RecoveryReport } from '../store/jobs';
import type { RunStore, StoredRun } from '../store/runs';
import type { ClassModelRecord, ClassModelStore } from '../store/class-models';
import { isStorageFull } from '../store/storage-full';
import { SILENT_LOGGER, type Logger } from '../logger';
import type { AdmissionRefusal, QueueRules } from './lab-rules';
import type { TrainListener, TrainOutcome } from './trainer-client';
import type { JobTrainer, Trainers } from './trainers';

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
export type SubmitRefusal =
  | { reason: 'already-queued'; job: JobRow }
  | { reason: 'queue-full'; cap: number }
  | { reason: 'disk-full' }
  | { reason: 'queue-unreachable' }
  | AdmissionRefusal;

export type SubmitOutcome = Result<Submission, SubmitRefusal>;

export type CancelOutcome = 'cancelled' | 'stopping' | 'not-yours' | 'not-found' | 'already-finished';

/**
 * How a job ended: a stored run (completed, stopped, cancelled mid-training or failed with an
 * explanation), the class model, a cancel before it started, or a failure without a run.
 */
export type JobEnd =
  | { kind: 'run'; job: JobRow; run: StoredRun }
  | { kind: 'class-model'; job: JobRow; classModel: ClassModelRecord }
  /** `cancelledBy` is set when the job was not cancelled by its owner (a teacher did). */
  | { kind: 'cancelled'; job: JobRow; cancelledBy?: { id: string; name: string } }
  | { kind: 'failed'; job: JobRow; failure: RunFailure };

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
  /** The trainer processes, or the workers behind Redis; each trainer runs one job at a time. */
  trainers: Trainers;
  modelDir: string | null;
  classModelDir: string;
  queueCap: number;
  /** The teacher's rules: whether a job may be queued, whether a waiting one may start now, and with what. */
  rules: QueueRules;
  /** How jobs end (with the trainer's live tensors after each), and errors with their cause. */
  log?: Logger;
  /** Called for jobs nobody is watching, e.g. jobs queued before a restart of the bot. */
  onUnwatchedEnd?: (end: JobEnd) => void;
  /** How long the queue waits before it tries again when the disk was full. */
  storageRetryMs?: number;
}

/** How a job left from before a restart comes back: run again from the start, taken up where it trained on (on a worker), or still waiting. */
export type RecoveredAs = 'rerun' | 'resumed' | 'waiting';

/** Gives the listener that answers the student of a job left from before a restart (null: nobody to tell). */
export type RecoveredJobWatcher = (job: JobRow, recoveredAs: RecoveredAs) => JobListener | null;

/** Seconds per epoch assumed before any run has been timed on this machine. */
const FIRST_GUESS_SECONDS_PER_EPOCH = 20;
/** The class model runs before queued training: classifications are waiting on it. */
const CLASS_MODEL_PRIORITY = 10;
const CLASS_MODEL_EPOCHS_GUESS = 5;
const STORAGE_RETRY_MS = 15_000;

export interface ClassModelSubmission {
  job: JobRow;
  estimateSeconds: number;
}

function unexpected(kind: string): RunFailure {
  return { code: 'internal', params: {}, detail: `the trainer answered a ${kind} result for this job` };
}

/** An error's message, read by shape (a native module's errors need not share this realm's Error). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function diskFull(error: unknown): RunFailure {
  return { code: 'disk-full', params: {}, detail: `the result could not be stored: ${messageOf(error)}` };
}

const INTERRUPTED_TWICE: RunFailure = {
  code: 'interrupted-by-restart',
  params: {},
  detail: 'the bot restarted while this job was running, and had done so once before',
};

export function newRunId(): string {
  return `r${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/**
 * The bot's training queue: persisted in SQLite, one job at a time in each trainer process of the
 * pool (the next job goes to the first free one), one queued or running job per user, and a cap on
 * the queue's length.
 */
export class JobQueue {
  private readonly listeners = new Map<number, JobListener[]>();
  /** The jobs running now, each with the trainer that runs it. */
  private readonly inHand = new Map<number, { job: JobRow; trainer: JobTrainer }>();
  /** The runs of those jobs, until each has ended and the next has been handed out. */
  private readonly inFlight = new Set<Promise<void>>();
  private dispatching = false;
  private stopped = false;
  private lastSecondsPerEpoch: number | null = null;
  /** Ends of jobs that could not be written (the disk was full), oldest first, written once there is space. */
  private readonly unrecorded: (() => void)[] = [];
  private storageRetry: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(private readonly options: JobQueueOptions) {
    this.log = options.log ?? SILENT_LOGGER;
  }

  /**
   * Takes up the queue after a restart: a job cut off while running is queued again at the head
   * (or failed, when a restart had cut it off before; a job that trained on, on a worker, is taken
   * up where it is), and the queue starts. `watch` gives the listener of each job waiting, attached
   * before any of them starts.
   */
  start(watch?: RecoveredJobWatcher): RecoveryReport {
    const report = this.options.jobs.recoverAfterRestart('the bot restarted while this job was running, and had done so once before', {
      trainedOn: this.options.trainers.outliveBot,
    });
    const rerun = new Set(report.rerun.map((job) => job.id));
    const resumed = new Set(report.resumed.map((job) => job.id));
    this.options.trainers.takeUp?.([...resumed]);
    for (const job of report.requeued) {
      const listener = watch?.(job, rerun.has(job.id) ? 'rerun' : resumed.has(job.id) ? 'resumed' : 'waiting');
      if (listener) this.listen(job.id, listener);
    }
    for (const job of report.failed) this.end({ kind: 'failed', job, failure: INTERRUPTED_TWICE });
    this.options.trainers.watch?.(() => this.wake());
    this.kick();
    return report;
  }

  /** Queues a training job; `listener` follows it from start to end. */
  submit(request: TrainingRequest, listener: JobListener = {}): SubmitOutcome {
    if (!this.recordPendingEnds()) return { ok: false, reason: 'disk-full' };
    if (!this.options.trainers.reachable) return { ok: false, reason: 'queue-unreachable' };
    const [active] = this.options.jobs.activeForUser(request.user.id);
    if (active) return { ok: false, reason: 'already-queued', job: active };
    const refused = this.options.rules.admit(request);
    if (refused) return { ok: false, ...refused };
    const waiting = this.options.jobs.queued();
    if (waiting.length >= this.options.queueCap) return { ok: false, reason: 'queue-full', cap: this.options.queueCap };
    const runId = newRunId();
    const payload: TrainingPayload = { runId, spec: request.spec, exercise: request.exercise };
    const job = this.enqueueUnlessFull({
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
    if (!job) return { ok: false, reason: 'disk-full' };
    const trainers = this.options.trainers.size;
    // Position 1 starts as soon as a trainer is free: the jobs in hand fill all trainers but one.
    const position = Math.max(1, (this.options.jobs.position(job.id) ?? 1) + this.inHand.size - (trainers - 1));
    const epochsAhead = [...waiting, ...this.running()].reduce((sum, row) => sum + this.epochsOf(row), 0);
    const estimateSeconds = (epochsAhead / trainers + request.spec.epochs) * (this.lastSecondsPerEpoch ?? FIRST_GUESS_SECONDS_PER_EPOCH);
    this.follow(job.id, listener);
    return { ok: true, job, runId, position, estimateSeconds };
  }

  /**
   * Queues the training of the class model (the model for photos) ahead of training runs, unless
   * it is already queued or running; `listener` follows that job either way.
   */
  submitClassModel(requestedBy: { id: string; name: string }, place: { guildId: string | null; channelId: string | null; locale: string }, listener: JobListener): ClassModelSubmission {
    const existing = [...this.running(), ...this.options.jobs.queued()].find((job) => job.kind === 'class-model');
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
    this.listen(jobId, listener);
    this.kick();
  }

  private listen(jobId: number, listener: JobListener): void {
    this.listeners.set(jobId, [...(this.listeners.get(jobId) ?? []), listener]);
  }

  cancel(jobId: number, requester: { id: string; name: string; isTeacher: boolean }): CancelOutcome {
    const job = this.options.jobs.get(jobId);
    if (!job) return 'not-found';
    if (job.userId !== requester.id && !requester.isTeacher) return 'not-yours';
    const inHand = this.inHand.get(jobId);
    if (inHand) {
      inHand.trainer.cancel(String(jobId));
      return 'stopping';
    }
    const outcome = this.options.jobs.cancel(jobId);
    const cancelledBy = job.userId === requester.id ? undefined : { id: requester.id, name: requester.name };
    if (outcome === 'cancelled') this.end({ kind: 'cancelled', job: this.options.jobs.get(jobId) ?? job, cancelledBy });
    return outcome === 'cancelled' ? 'cancelled' : outcome === 'not-found' ? 'not-found' : 'already-finished';
  }

  /** The jobs running now, in the order they started. */
  running(): JobRow[] {
    return [...this.inHand.values()].map((held) => held.job);
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
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Takes no more jobs; stops the ones in hand and waits for their ends, unless they train on without the bot. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.storageRetry) clearTimeout(this.storageRetry);
    // Still marked running, they are taken up by the bot that starts next.
    if (this.options.trainers.outliveBot) return;
    for (const [jobId, held] of this.inHand) held.trainer.cancel(String(jobId));
    await this.idle();
  }

  private enqueueUnlessFull(job: NewJob): JobRow | null {
    try {
      return this.options.jobs.enqueue(job);
    } catch (error) {
      if (!isStorageFull(error)) throw error;
      this.log.error(`the job of ${job.userName} could not be queued`, error);
      return null;
    }
  }

  private epochsOf(job: JobRow): number {
    const payload = trainingPayloadSchema.safeParse(job.payload);
    const epochs = payload.success ? payload.data.spec.epochs : undefined;
    return typeof epochs === 'number' ? epochs : 5;
  }

  /**
   * Hands waiting jobs to free trainers, as many as there are of both. Never throws: a store that
   * cannot be written waits for a retry. Each job's end gives its trainer back and looks again.
   */
  private kick(): void {
    if (this.dispatching || this.stopped) return;
    this.dispatching = true;
    try {
      for (let trainer = this.options.trainers.free(); trainer && !this.stopped; trainer = this.options.trainers.free()) {
        const job = this.claimNext();
        if (!job) return;
        this.options.trainers.assign(trainer, job.id);
        this.launch(job, trainer);
      }
    } catch (error) {
      this.log.error('the queue could not take its next job; it tries again shortly', error);
      this.retryLater();
    } finally {
      this.dispatching = false;
    }
  }

  private launch(job: JobRow, trainer: JobTrainer): void {
    const work: Promise<void> = this.runClaimed(job, trainer).finally(() => {
      this.inFlight.delete(work);
      this.kick();
    });
    this.inFlight.add(work);
  }

  /** The next job, now marked running; null when none waits (or when ends are still to be written). */
  private claimNext(): JobRow | null {
    if (!this.recordPendingEnds()) {
      this.retryLater();
      return null;
    }
    for (let job = this.nextToRun(); job; job = this.nextToRun()) {
      if (this.options.jobs.claim(job.id)) return this.options.jobs.get(job.id) ?? job;
    }
    return null;
  }

  private retryLater(): void {
    if (this.storageRetry || this.stopped) return;
    this.storageRetry = setTimeout(() => {
      this.storageRetry = null;
      this.kick();
    }, this.options.storageRetryMs ?? STORAGE_RETRY_MS);
    // A retry is no reason to keep a stopping process alive.
    this.storageRetry.unref();
  }

  private async runClaimed(job: JobRow, trainer: JobTrainer): Promise<void> {
    this.inHand.set(job.id, { job, trainer });
    try {
      await this.run(job, trainer);
    } catch (error) {
      const failure: RunFailure = isStorageFull(error) ? diskFull(error) : { code: 'internal', params: {}, detail: messageOf(error) };
      this.log.error(`job ${job.id} failed unexpectedly`, error);
      this.fail(job, failure);
    } finally {
      this.inHand.delete(job.id);
      this.options.trainers.giveBack(trainer);
    }
  }

  private nextToRun(): JobRow | undefined {
    return this.options.jobs.next((job) => this.options.rules.mayDispatch(job));
  }

  private async run(job: JobRow, trainer: JobTrainer): Promise<void> {
    const listeners = this.listeners.get(job.id) ?? [];
    for (const listener of listeners) listener.onStart?.(job);
    const progress = {
      onEpoch: (metrics: EpochMetrics) => listeners.forEach((listener) => listener.onEpoch?.(metrics, job)),
      onBatch: (batch: BatchProgress) => listeners.forEach((listener) => listener.onBatch?.(batch, job)),
    };
    if (job.kind === 'class-model') await this.runClassModel(job, trainer, progress);
    else await this.runTraining(job, trainer, progress);
  }

  private async runTraining(job: JobRow, trainer: JobTrainer, progress: TrainListener): Promise<void> {
    const payload = trainingPayloadSchema.parse(job.payload);
    const settings = this.options.rules.settingsToRun(job, payload.spec);
    if (!settings.ok) return this.fail(job, settings.failure);
    const { spec, trainExamples } = settings;
    const outcome = await trainer.train(String(job.id), payload.runId, spec, this.options.modelDir, progress, trainExamples);
    this.logOutcome(job, outcome);
    if (outcome.kind !== 'run') return this.fail(job, outcome.kind === 'failed' ? outcome.failure : unexpected(outcome.kind));
    this.rememberSpeed(outcome.result);
    let run: StoredRun;
    try {
      run = this.options.runs.saveRun({
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
    } catch (error) {
      if (!isStorageFull(error)) throw error;
      return this.fail(job, diskFull(error));
    }
    const cancelled = outcome.result.stopReason.kind === 'cancelled';
    this.finishJob(job, cancelled ? 'cancelled' : 'done', { runId: payload.runId });
    this.end({ kind: 'run', job, run });
  }

  private async runClassModel(job: JobRow, trainer: JobTrainer, progress: TrainListener): Promise<void> {
    const outcome = await trainer.trainClassModel(String(job.id), this.options.classModelDir, progress);
    this.logOutcome(job, outcome);
    if (outcome.kind !== 'class-model') return this.fail(job, outcome.kind === 'failed' ? outcome.failure : unexpected(outcome.kind));
    if (!outcome.report) {
      this.finishJob(job, 'cancelled');
      return this.end({ kind: 'cancelled', job });
    }
    let classModel: ClassModelRecord;
    try {
      classModel = this.options.classModels.save({
        path: this.options.classModelDir,
        testAccuracy: outcome.report.testAccuracy,
        trainingSeconds: outcome.report.seconds,
      });
    } catch (error) {
      if (!isStorageFull(error)) throw error;
      return this.fail(job, diskFull(error));
    }
    this.finishJob(job, 'done');
    this.end({ kind: 'class-model', job, classModel });
  }

  /** The leak check of every job: live tensors in the trainer after it (null when the trainer died). */
  private logOutcome(job: JobRow, outcome: TrainOutcome): void {
    this.log.info(`job ${job.id} (${job.kind}) ended: ${outcome.kind}; trainer live tensors: ${outcome.liveTensors ?? 'unknown'}`);
  }

  private fail(job: JobRow, failure: RunFailure): void {
    this.log.error(`job ${job.id} failed (${failure.code})`, failure.detail);
    try {
      this.finishJob(job, 'failed', { failure: { code: failure.code, message: failure.detail } });
    } finally {
      // Its student hears of it even when the store could not be written.
      this.end({ kind: 'failed', job, failure });
    }
  }

  /** Writes how a job ended; when the disk is full, keeps it to write once there is space again. */
  private finishJob(job: JobRow, state: FinishedJobState, details: FinishDetails = {}): void {
    this.unrecorded.push(() => this.options.jobs.finish(job.id, state, details));
    this.recordPendingEnds();
  }

  /**
   * Writes the ends still to be written, oldest first; false when the disk is still full. An end
   * that fails otherwise is logged and dropped, so that it cannot hold up the queue for ever.
   */
  private recordPendingEnds(): boolean {
    while (this.unrecorded.length > 0) {
      try {
        this.unrecorded[0]();
      } catch (error) {
        if (isStorageFull(error)) {
          this.log.error(`the end of a job could not be written yet (${this.unrecorded.length} waiting)`, error);
          return false;
        }
        this.log.error('the end of a job could not be written', error);
      }
      this.unrecorded.shift();
    }
    return true;
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
