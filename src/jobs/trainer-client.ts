import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { BatchProgress, EpochMetrics, RunFailure, RunResult } from '../experiments/results';
import type { ExperimentSpec } from '../experiments/spec';
import {
  fromTrainerSchema,
  type ClassModelReport,
  type DownloadProgress,
  type FromTrainer,
  type ModelRef,
  type PredictionInput,
  type ToTrainer,
  type TrainerReady,
} from '../protocol/trainer-messages';
import { SILENT_LOGGER, type Logger } from '../logger';

export interface TrainListener {
  onEpoch?: (metrics: EpochMetrics) => void;
  onBatch?: (progress: BatchProgress) => void;
}

/**
 * What a job in the trainer ends with: a run result (which may itself say "failed"), the class
 * model's report (null when cancelled), or a failure; and the leak check (live tensors after it).
 */
export type TrainOutcome =
  | { kind: 'run'; result: RunResult; liveTensors: number }
  | { kind: 'class-model'; report: ClassModelReport | null; liveTensors: number }
  | { kind: 'failed'; failure: RunFailure; liveTensors: number | null };

export interface Prediction {
  probabilities: number[];
  seen: number[];
  label: number | null;
}

export class TrainerError extends Error {
  constructor(
    readonly failure: RunFailure,
    options?: ErrorOptions,
  ) {
    super(failure.detail || failure.code, options);
  }
}

/** A message that could not be handed to the trainer process: its link is broken. */
function unreachable(what: string, cause: unknown): RunFailure {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return { code: 'trainer-unreachable', params: { reason }, detail: `could not send the ${what} to the trainer: ${reason}` };
}

interface PendingTrain {
  jobId: string;
  listener: TrainListener;
  resolve: (outcome: TrainOutcome) => void;
}

interface PendingPrediction {
  resolve: (prediction: Prediction) => void;
  reject: (error: Error) => void;
}

export interface TrainerClientOptions {
  /** Environment of the trainer process (the bot's, by default). */
  env?: NodeJS.ProcessEnv;
  /** Where the trainer's own output goes (Dawn's and TensorFlow.js' start-up notes among it), and failures of the link. */
  log?: Logger;
  /** The first download of Fashion-MNIST, when the trainer found no copy on disk. */
  onDownloadProgress?: (progress: DownloadProgress) => void;
  /** How long to wait for the trainer to load its data and answer "ready". */
  startTimeoutMs?: number;
}

/** The trainer process entry point (the soak finds the trainer among the bot's children by it). */
export const TRAINER_PROCESS_ENTRY = path.join(__dirname, '..', 'trainer-process.ts');

/**
 * Supervises the trainer child process: starts it, sends it jobs, and restarts it when it dies.
 * A crash (SIGKILL, out of memory) fails only the job in hand, with the reason.
 */
export class TrainerClient {
  private child: ChildProcess | null = null;
  private ready: Promise<TrainerReady> | null = null;
  private info: TrainerReady | null = null;
  private training: PendingTrain | null = null;
  private readonly predictions = new Map<string, PendingPrediction>();
  private readonly cancelRequests = new Set<string>();
  /** Trainers killed because their link broke (killing one again could only fail again). */
  private readonly dropped = new WeakSet<ChildProcess>();
  private nextRequest = 1;
  private stopping = false;
  /** Between the trainer's "ready" and its exit. */
  private running = false;
  restarts = 0;
  private readonly log: Logger;

  constructor(private readonly options: TrainerClientOptions = {}) {
    this.log = options.log ?? SILENT_LOGGER;
  }

  /** Starts the trainer (if needed) and waits until it has loaded the data. */
  start(): Promise<TrainerReady> {
    if (!this.ready) this.ready = this.spawn();
    return this.ready;
  }

  get readyInfo(): TrainerReady | null {
    return this.info;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Started and ready, and not exited since. */
  get up(): boolean {
    return this.running;
  }

  /**
   * Runs one training job, on at most `trainExamples` training images (the trainer's own cap when
   * left out); the trainer runs one at a time, so callers queue before calling this.
   */
  train(jobId: string, runId: string, spec: ExperimentSpec, modelDir: string | null, listener: TrainListener = {}, trainExamples?: number): Promise<TrainOutcome> {
    return this.runJob({ type: 'train', jobId, runId, spec, modelDir, trainExamples }, listener);
  }

  /** Trains the class model for photos into `folder`. */
  trainClassModel(jobId: string, folder: string, listener: TrainListener = {}): Promise<TrainOutcome> {
    return this.runJob({ type: 'train-class-model', jobId, folder }, listener);
  }

  private async runJob(message: Extract<ToTrainer, { type: 'train' | 'train-class-model' }>, listener: TrainListener): Promise<TrainOutcome> {
    await this.start();
    if (this.training) throw new Error(`trainer is busy with job ${this.training.jobId}`);
    return new Promise<TrainOutcome>((resolve) => {
      this.training = { jobId: message.jobId, listener, resolve };
      this.post(message, (error) => this.settleTraining(message.jobId, { kind: 'failed', failure: unreachable('job', error), liveTensors: null }));
      if (this.cancelRequests.has(message.jobId)) this.sendCancel(message.jobId);
    });
  }

  /**
   * Stops a job within one batch; a cancel that comes before the job reached the trainer waits for it.
   * If the cancel cannot reach the trainer, the trainer is stopped instead, which ends the job too.
   */
  cancel(jobId: string): void {
    this.cancelRequests.add(jobId);
    if (this.training?.jobId === jobId) this.sendCancel(jobId);
  }

  /** Lets a job held between two epochs (TRAINER_HOLD_AFTER_EPOCH, for tests) go on; one not held yet is let through. */
  release(): void {
    this.post({ type: 'release' }, () => undefined);
  }

  private sendCancel(jobId: string): void {
    this.post({ type: 'cancel', jobId }, () => undefined);
  }

  /** Asks for class probabilities; answered between two batches of a running job. */
  async predict(model: ModelRef, input: PredictionInput, normalize: boolean): Promise<Prediction> {
    // Posted at once when the trainer is up, so that a request made right after a crash meets the broken link itself.
    if (!this.running) await this.start();
    const requestId = String(this.nextRequest++);
    return new Promise<Prediction>((resolve, reject) => {
      this.predictions.set(requestId, { resolve, reject });
      this.post({ type: 'predict', requestId, model, input, normalize }, (error) => {
        this.predictions.delete(requestId);
        reject(new TrainerError(unreachable('prediction', error), { cause: error }));
      });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /**
   * Sends a message to the trainer. When it cannot be sent (the trainer just died, and its 'exit'
   * has not arrived yet), `onFailure` fails that request, and the trainer is killed so that its
   * exit fails the rest and a fresh one starts: a broken link never takes the bot down.
   */
  private post(message: ToTrainer, onFailure: (error: Error) => void): void {
    const child = this.child;
    const failed = (error: Error) => {
      this.log.error(`could not send a ${message.type} message to the trainer`, error);
      onFailure(error);
      if (child) this.dropLink(child);
    };
    if (!child?.connected) {
      failed(new Error('the trainer process is not running'));
      return;
    }
    try {
      child.send(message, (error) => {
        if (error) failed(error);
      });
    } catch (error) {
      failed(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A trainer we can no longer talk to is of no use: kill it (once), and 'exit' does the rest. */
  private dropLink(child: ChildProcess): void {
    if (this.dropped.has(child) || child.exitCode !== null || child.signalCode !== null) return;
    this.dropped.add(child);
    child.kill('SIGKILL');
  }

  private spawn(): Promise<TrainerReady> {
    const child = fork(TRAINER_PROCESS_ENTRY, [], {
      env: this.options.env ?? process.env,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', (line) => this.log.info(`trainer: ${line}`));
    }
    // Without a listener, an 'error' (a failed spawn, kill or send) would end the bot process.
    child.on('error', (error) => {
      this.log.error('the trainer process reported an error', error);
      this.dropLink(child);
    });
    let wasReady = false;
    return new Promise<TrainerReady>((resolve, reject) => {
      const timeout = setTimeout(() => {
        reject(new Error('the trainer did not start in time'));
        child.kill('SIGKILL');
      }, this.options.startTimeoutMs ?? 120_000);
      child.on('message', (raw) => {
        const parsed = fromTrainerSchema.safeParse(raw);
        if (!parsed.success) {
          this.log.error('the trainer sent a malformed message', parsed.error);
          this.failTrainingOnMalformedEnd(raw, parsed.error.message);
          return;
        }
        const message = parsed.data;
        if (message.type === 'ready') {
          clearTimeout(timeout);
          wasReady = true;
          this.running = true;
          this.info = message;
          resolve(message);
        } else if (message.type === 'download-progress') {
          this.options.onDownloadProgress?.(message.progress);
        } else if (message.type === 'startup-failed') {
          clearTimeout(timeout);
          reject(new Error(message.message));
        } else {
          this.handle(message);
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timeout);
        this.onExit(child, code, signal, wasReady);
        reject(new Error(`the trainer exited (${signal ?? `code ${code}`}) before it was ready`));
      });
    });
  }

  private handle(message: FromTrainer): void {
    switch (message.type) {
      case 'epoch':
        if (this.training?.jobId === message.jobId) this.training.listener.onEpoch?.(message.metrics);
        return;
      case 'batch':
        if (this.training?.jobId === message.jobId) this.training.listener.onBatch?.(message.progress);
        return;
      case 'result':
        this.settleTraining(message.jobId, { kind: 'run', result: message.result, liveTensors: message.liveTensors });
        return;
      case 'class-model-result':
        this.settleTraining(message.jobId, { kind: 'class-model', report: message.report, liveTensors: message.liveTensors });
        return;
      case 'job-failed':
        this.settleTraining(message.jobId, { kind: 'failed', failure: message.failure, liveTensors: message.liveTensors });
        return;
      case 'prediction':
        this.predictions.get(message.requestId)?.resolve(message);
        this.predictions.delete(message.requestId);
        return;
      case 'prediction-failed':
        this.predictions.get(message.requestId)?.reject(new TrainerError(message.failure));
        this.predictions.delete(message.requestId);
        return;
      default:
        return;
    }
  }

  /** A result the schema refuses must still end the job, or its owner would wait forever. */
  private failTrainingOnMalformedEnd(raw: unknown, why: string): void {
    const { type, jobId } = (typeof raw === 'object' && raw !== null ? raw : {}) as { type?: unknown; jobId?: unknown };
    if (!['result', 'class-model-result', 'job-failed'].includes(String(type)) || typeof jobId !== 'string') return;
    const failure: RunFailure = { code: 'internal', params: {}, detail: `the trainer sent an invalid result: ${why}` };
    this.settleTraining(jobId, { kind: 'failed', failure, liveTensors: null });
  }

  private settleTraining(jobId: string, outcome: TrainOutcome): void {
    if (this.training?.jobId !== jobId) return;
    const { resolve } = this.training;
    this.training = null;
    this.cancelRequests.delete(jobId);
    resolve(outcome);
  }

  /**
   * The trainer died: fail what it held, then start a fresh one for the jobs that follow. One that
   * never got ready is not restarted in a loop; the next request tries again and reports why.
   */
  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, wasReady: boolean): void {
    if (child !== this.child) return;
    this.child = null;
    this.ready = null;
    this.running = false;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    const failure: RunFailure = { code: 'trainer-crashed', params: { how }, detail: `the trainer process ${how}` };
    if (this.training) this.settleTraining(this.training.jobId, { kind: 'failed', failure, liveTensors: null });
    for (const pending of this.predictions.values()) pending.reject(new TrainerError(failure));
    this.predictions.clear();
    if (this.stopping || !wasReady) return;
    this.log.info(`trainer ${how}; restarting it`);
    this.restarts += 1;
    this.start().catch((error: unknown) => this.log.error('the trainer could not be restarted', error));
  }
}
