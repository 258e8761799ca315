import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { RunFailure } from '../experiments/results';
import { SILENT_LOGGER, type Logger } from '../logger';
import {
  CANCEL_CHANNEL,
  CANCEL_KEY_PREFIX,
  remoteJobId,
  remoteOutcomeSchema,
  remoteProgressSchema,
  TRAINING_QUEUE,
  WORKER_KEY_PREFIX,
  WORKER_STOPPED,
  workerBeatSchema,
  type RemoteJob,
  type WorkerBeat,
} from '../protocol/worker-messages';
import { decodedSize, writeModelFiles } from './model-transfer';
import type { TrainListener, TrainOutcome } from './trainer-client';
import type { JobTrainer, Trainers } from './trainers';

const WATCH_MS = 1_000;
/** How long a job's end and a cancel stay in Redis (a restarted bot reads them there). */
const KEEP_SECONDS = 24 * 3600;
/** BullMQ's reason for a job whose worker stopped renewing its lock (maxStalledCount 0). */
const STALLED = /stalled/i;

export interface RemoteTrainersOptions {
  redisUrl: string;
  lockMs: number;
  stalledIntervalMs: number;
  /** The largest model the bot takes back from a worker. */
  maxModelBytes: number;
  /** How often the workers' heartbeats are read. */
  watchMs?: number;
  log?: Logger;
}

interface Follower {
  listener: TrainListener;
  /** Where the model's files go: the run's folder is made below it, the class model's folder is it. */
  modelDir: string | null;
  data: RemoteJob;
  resolve: (outcome: TrainOutcome) => void;
}

/**
 * The workers behind Redis, as the queue's trainers: as many slots as the live workers have
 * trainers (their heartbeats say), a job handed to BullMQ only once a slot is free (SQLite keeps
 * the order, the priorities and the cap), its progress and end read from QueueEvents, and its
 * model's files written here. The bot runs BullMQ's stalled check itself, so a worker that dies
 * fails its job even when no other worker runs.
 */
export class RemoteTrainers implements Trainers {
  /** BullMQ leaves connections it was handed open: these are closed here. */
  private readonly connections: Redis[] = [];
  private readonly commands: Redis;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly checker: Worker;
  private readonly slots = new Map<JobTrainer, number>();
  private readonly followers = new Map<string, Follower>();
  /** SQLite ids of the jobs a restarted bot takes up: Redis should hold them, not train them anew. */
  private readonly takenUp = new Set<string>();
  private workers: WorkerBeat[] = [];
  /** Set once the events of jobs are read: a job handed on before that could end unseen. */
  private listening = false;
  private readonly connected: Promise<void>;
  private heartbeatReads: NodeJS.Timeout | null = null;
  private onChange: () => void = () => undefined;
  private readonly log: Logger;

  constructor(private readonly options: RemoteTrainersOptions) {
    this.log = options.log ?? SILENT_LOGGER;
    // Commands fail at once while Redis is away, instead of waiting in a queue of their own.
    this.commands = this.connect('commands', { enableOfflineQueue: false });
    this.queue = new Queue(TRAINING_QUEUE, { connection: this.commands });
    this.events = new QueueEvents(TRAINING_QUEUE, { connection: this.connect('events') });
    this.checker = new Worker(TRAINING_QUEUE, null, {
      connection: this.connect('stalled check'),
      autorun: false,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 0,
    });
    // Not events.once: that rejects at the first failed attempt, and ioredis keeps trying.
    const commandsReady = new Promise<void>((resolve) => this.commands.once('ready', () => resolve()));
    this.connected = Promise.all([commandsReady, this.events.waitUntilReady()]).then(() => {
      this.listening = true;
      this.onChange();
    });
    this.connected.catch((error: unknown) => this.log.error('the first connection to Redis failed', error));
    this.commands.on('ready', () => {
      // Back after Redis was away: the jobs followed may have ended meanwhile, or been lost.
      void this.recheck();
      this.onChange();
    });
    const reportError = (error: Error) => this.log.error('BullMQ reported an error', error);
    this.queue.on('error', reportError);
    this.events.on('error', reportError);
    this.checker.on('error', reportError);
    this.events.on('progress', ({ jobId, data }) => this.progress(jobId, data));
    this.events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
  }

  private connect(name: string, options: { enableOfflineQueue?: boolean } = {}): Redis {
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, ...options });
    connection.on('error', (error) => this.log.error(`the Redis ${name} connection failed; it reconnects by itself`, error));
    this.connections.push(connection);
    return connection;
  }

  /** Starts reading the workers' heartbeats and checking for stalled jobs (once); `onChange` is called when more jobs may start. */
  watch(onChange: () => void): void {
    this.onChange = onChange;
    if (this.heartbeatReads) return;
    this.heartbeatReads = setInterval(() => void this.readWorkers(), this.options.watchMs ?? WATCH_MS);
    void this.readWorkers();
    this.checker.startStalledCheckTimer().catch((error: unknown) => this.log.error('the stalled-job check could not start', error));
  }

  /**
   * Resolves once jobs can be handed on and their events are read, or after `patienceMs` (then
   * Redis is away: the bot starts without it and refuses jobs until it comes). True when connected.
   */
  async ready(patienceMs = Infinity): Promise<boolean> {
    const patience = Number.isFinite(patienceMs) ? [sleep(patienceMs, undefined, { ref: false })] : [];
    await Promise.race([this.connected, ...patience]);
    return this.listening && this.reachable;
  }

  get reachable(): boolean {
    return this.commands.status === 'ready';
  }

  readonly outliveBot = true;

  /** The jobs the live workers can hold at once: a stopping worker only holds the ones it has. */
  private get capacity(): number {
    return this.workers.reduce((sum, worker) => sum + (worker.stopping ? worker.jobIds.length : worker.trainers), 0);
  }

  get size(): number {
    return Math.max(1, this.capacity);
  }

  /** The live workers, as their last heartbeats describe them. */
  view(): WorkerBeat[] {
    return this.workers;
  }

  /** A slot counts from `assign` on: one handed out but left unused holds nothing. */
  free(): JobTrainer | null {
    if (!this.listening || !this.reachable || this.slots.size >= this.capacity) return null;
    return {
      train: (jobId, runId, spec, modelDir, listener, trainExamples) => this.hand({ kind: 'train', jobId, runId, spec, trainExamples }, modelDir, listener),
      trainClassModel: (jobId, folder, listener) => this.hand({ kind: 'class-model', jobId }, folder, listener),
      cancel: (jobId) => void this.cancel(jobId),
    };
  }

  takeUp(jobIds: readonly number[]): void {
    for (const jobId of jobIds) this.takenUp.add(String(jobId));
  }

  assign(trainer: JobTrainer, jobId: number): void {
    this.slots.set(trainer, jobId);
  }

  giveBack(trainer: JobTrainer): void {
    this.slots.delete(trainer);
  }

  private async readWorkers(): Promise<void> {
    if (!this.reachable) return;
    try {
      const keys = await this.commands.keys(`${WORKER_KEY_PREFIX}*`);
      const values = keys.length > 0 ? await this.commands.mget(keys) : [];
      const before = this.capacity;
      this.workers = values.flatMap((value) => {
        const beat = value === null ? null : workerBeatSchema.safeParse(JSON.parse(value));
        return beat?.success ? [beat.data] : [];
      });
      if (this.capacity > before) this.onChange();
    } catch (error) {
      this.log.error('the workers could not be read from Redis', error);
    }
  }

  private hand(data: RemoteJob, modelDir: string | null, listener: TrainListener = {}): Promise<TrainOutcome> {
    const id = remoteJobId(data);
    const takenUp = this.takenUp.delete(data.jobId);
    return new Promise<TrainOutcome>((resolve) => {
      this.followers.set(id, { listener, modelDir, data, resolve });
      (takenUp ? this.lookUp(id) : this.add(id, data)).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.settle(id, failedWith({ code: 'trainer-unreachable', params: { reason }, detail: `the job could not be handed to Redis: ${reason}` }));
      });
    });
  }

  /** Adds the job (a job already there under its id is left as it is) and settles it if it has ended. */
  private async add(id: string, data: RemoteJob): Promise<void> {
    await this.queue.add(data.kind, data, { jobId: id, attempts: 1, removeOnComplete: { age: KEEP_SECONDS }, removeOnFail: { age: KEEP_SECONDS } });
    // What Redis holds under that id (add leaves a job already there as it is).
    await this.lookUp(id);
  }

  /**
   * Settles a followed job that Redis holds as ended; one it no longer holds (it restarted empty)
   * is lost. A restarted bot takes up a job that trained on this way: the end it came to meanwhile,
   * or the progress still to come, never a second training.
   */
  private async lookUp(id: string): Promise<void> {
    const stored = await this.queue.getJob(id);
    if (!stored) return this.settle(id, failedWith({ code: 'queue-lost', params: {}, detail: `Redis no longer holds job ${id}: it restarted without its data` }));
    const state = await stored.getState();
    if (state === 'completed') this.completed(id, stored.returnvalue);
    else if (state === 'failed') this.failed(id, stored.failedReason);
  }

  private async recheck(): Promise<void> {
    for (const id of [...this.followers.keys()]) {
      try {
        await this.lookUp(id);
      } catch (error) {
        this.log.error(`job ${id} could not be looked up in Redis`, error);
      }
    }
  }

  private async cancel(jobId: string): Promise<void> {
    const id = [...this.followers].find(([, follower]) => follower.data.jobId === jobId)?.[0];
    if (id === undefined) return;
    try {
      await this.commands.set(CANCEL_KEY_PREFIX + id, '1', 'EX', KEEP_SECONDS);
      await this.commands.publish(CANCEL_CHANNEL, id);
    } catch (error) {
      this.log.error(`the cancel of job ${jobId} could not reach its worker`, error);
    }
  }

  private progress(id: string, data: unknown): void {
    const follower = this.followers.get(id);
    const parsed = remoteProgressSchema.safeParse(data);
    if (!follower || !parsed.success) return;
    if (parsed.data.type === 'epoch') follower.listener.onEpoch?.(parsed.data.metrics);
    else follower.listener.onBatch?.(parsed.data.progress);
  }

  private completed(id: string, value: unknown): void {
    const follower = this.followers.get(id);
    if (!follower) return;
    const parsed = remoteOutcomeSchema.safeParse(value);
    if (!parsed.success) return this.settle(id, failedWith({ code: 'internal', params: {}, detail: `the worker sent an invalid result: ${parsed.error.message}` }));
    const outcome = parsed.data;
    if (outcome.kind === 'failed') return this.settle(id, outcome);
    const bytes = decodedSize(outcome.files);
    if (bytes > this.options.maxModelBytes) {
      const limit = Math.round(this.options.maxModelBytes / (1024 * 1024));
      return this.settle(id, failedWith({ code: 'model-too-large', params: { limit }, detail: `the worker sent ${bytes} bytes of model, more than ${this.options.maxModelBytes}` }));
    }
    try {
      if (outcome.kind === 'class-model') {
        if (follower.modelDir !== null && outcome.files.length > 0) writeModelFiles(follower.modelDir, outcome.files);
        return this.settle(id, { kind: 'class-model', report: outcome.report, liveTensors: outcome.liveTensors });
      }
      const modelPath = follower.modelDir !== null && outcome.files.length > 0 ? writeModelFiles(path.join(follower.modelDir, outcome.result.runId), outcome.files) : null;
      this.settle(id, { kind: 'run', result: { ...outcome.result, modelPath }, liveTensors: outcome.liveTensors });
    } catch (error) {
      const detail = `the model's files could not be written: ${error instanceof Error ? error.message : String(error)}`;
      this.settle(id, failedWith({ code: 'disk-full', params: {}, detail }));
    }
  }

  private failed(id: string, reason: string): void {
    this.settle(id, failedWith(failureOf(reason)));
  }

  private settle(id: string, outcome: TrainOutcome): void {
    const follower = this.followers.get(id);
    if (!follower) return;
    this.followers.delete(id);
    follower.resolve(outcome);
  }

  /** Closes its connections; the jobs it followed train on, for the bot that starts next. */
  async stop(): Promise<void> {
    if (this.heartbeatReads) clearInterval(this.heartbeatReads);
    this.followers.clear();
    await this.checker.close();
    await this.events.close();
    await this.queue.close();
    for (const connection of this.connections) connection.disconnect();
  }
}

/** What a BullMQ reason for a failed job means for its student. */
function failureOf(reason: string): RunFailure {
  if (STALLED.test(reason)) return { code: 'worker-lost', params: {}, detail: reason };
  if (reason === WORKER_STOPPED) return { code: 'worker-stopped', params: {}, detail: reason };
  return { code: 'internal', params: {}, detail: `the worker failed the job: ${reason}` };
}

function failedWith(failure: RunFailure): TrainOutcome {
  return { kind: 'failed', failure, liveTensors: null };
}
