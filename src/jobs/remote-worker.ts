import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ExperimentSpec } from '../experiments/spec';
import { SILENT_LOGGER, type Logger } from '../logger';
import {
  CANCEL_CHANNEL,
  CANCEL_KEY_PREFIX,
  remoteJobId,
  remoteJobSchema,
  TRAINING_QUEUE,
  WORKER_KEY_PREFIX,
  WORKER_STOPPED,
  type RemoteJob,
  type RemoteOutcome,
  type RemoteProgress,
  type WorkerBeat,
} from '../protocol/worker-messages';
import { readModelFiles } from './model-transfer';
import type { TrainerClient, TrainListener, TrainOutcome } from './trainer-client';
import type { TrainerPool } from './trainer-pool';

const HEARTBEAT_MS = 2_000;

export interface RemoteWorkerOptions {
  redisUrl: string;
  /** The trainer processes of this machine; the worker takes as many jobs at once as it has. */
  pool: TrainerPool;
  lockMs: number;
  stalledIntervalMs: number;
  /** The largest model it sends back; a larger one fails its job with the reason. */
  maxModelBytes: number;
  /** Where models are saved before they are sent (a folder of its own is made there for each job). */
  workDir: string;
  heartbeatMs?: number;
  log?: Logger;
}

/**
 * A machine's share of the training queue on Redis (`npm run worker`): a BullMQ worker that runs
 * each job on a free trainer of its own pool, reports progress through the job, sends the result
 * and the model's files back as the job's return value, stops a job it is told to cancel, and
 * says through a heartbeat key that it is alive and how many trainers it has.
 */
export class RemoteWorker {
  readonly id = `${os.hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  /** BullMQ leaves connections it was handed open: these are closed here. */
  private readonly connections: Redis[] = [];
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private worker: Worker | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The jobs in hand, by BullMQ id: each one's SQLite id and trainer. */
  private readonly inHand = new Map<string, { jobId: string; trainer: TrainerClient }>();
  /** Jobs in hand that are no longer this worker's to end (their lock was lost, or it was told to stop now): stopped, and failed with this reason. */
  private readonly given = new Map<string, string>();
  private stopping = false;
  private jobsDone = 0;
  private readonly log: Logger;

  constructor(private readonly options: RemoteWorkerOptions) {
    this.log = options.log ?? SILENT_LOGGER;
    this.commands = this.connect('commands');
    this.subscriber = this.connect('subscriber');
  }

  private connect(name: string): Redis {
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => this.log.error(`the worker's Redis ${name} connection failed; it reconnects by itself`, error));
    this.connections.push(connection);
    return connection;
  }

  /** Starts its trainers, then takes jobs. */
  async start(): Promise<void> {
    await this.options.pool.start();
    this.subscriber.on('message', (_channel, id) => {
      const held = this.inHand.get(id);
      held?.trainer.cancel(held.jobId);
    });
    await this.subscriber.subscribe(CANCEL_CHANNEL);
    this.worker = new Worker(TRAINING_QUEUE, (job) => this.process(job), {
      connection: this.connect('worker'),
      concurrency: this.options.pool.size,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.stalledIntervalMs,
      // A job whose worker died is failed with the reason, never trained a second time unsaid.
      maxStalledCount: 0,
    });
    this.worker.on('error', (error) => this.log.error('the BullMQ worker reported an error', error));
    // Redis no longer holds these jobs as ours (it restarted empty, or the bot failed them as stalled): stop training them.
    this.worker.on('lockRenewalFailed', (ids) => ids.forEach((id) => this.giveUp(id, 'the job’s lock in Redis was lost')));
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.log.info(`worker ${this.id} takes jobs with ${this.options.pool.size} trainer(s)`);
  }

  private giveUp(id: string, reason: string): void {
    const held = this.inHand.get(id);
    if (!held || this.given.has(id)) return;
    this.log.error(`job ${held.jobId}: stopped (${reason})`);
    this.given.set(id, reason);
    held.trainer.cancel(held.jobId);
  }

  private async beat(): Promise<void> {
    const interval = this.options.heartbeatMs ?? HEARTBEAT_MS;
    const beat: WorkerBeat = {
      id: this.id,
      host: os.hostname(),
      backend: this.options.pool.readyInfo?.backend.name ?? null,
      trainers: this.options.pool.size,
      jobIds: [...this.inHand.values()].map((held) => held.jobId),
      jobsDone: this.jobsDone,
      stopping: this.stopping,
      seenAt: Date.now(),
    };
    try {
      // Three beats missed and the bot counts this worker's trainers no more.
      await this.commands.set(WORKER_KEY_PREFIX + this.id, JSON.stringify(beat), 'PX', interval * 3);
    } catch (error) {
      this.log.error('the worker could not renew its heartbeat', error);
    }
  }

  private async process(job: Job): Promise<RemoteOutcome> {
    const data = remoteJobSchema.parse(job.data);
    const trainer = this.options.pool.free();
    if (!trainer) throw new Error(`worker ${this.id} took job ${data.jobId} without a free trainer`);
    this.options.pool.assign(trainer, Number(data.jobId));
    const id = remoteJobId(data);
    this.inHand.set(id, { jobId: data.jobId, trainer });
    const folder = fs.mkdtempSync(path.join(this.options.workDir, 'job-'));
    try {
      // A cancel published before this worker held the job left its key.
      if ((await this.commands.exists(CANCEL_KEY_PREFIX + id)) > 0) trainer.cancel(data.jobId);
      void this.beat();
      const report = (progress: RemoteProgress) => job.updateProgress(progress).catch((error: unknown) => this.log.error(`job ${data.jobId}: progress could not be sent`, error));
      const listener: TrainListener = {
        onEpoch: (metrics) => void report({ type: 'epoch', metrics }),
        onBatch: (progress) => void report({ type: 'batch', progress }),
      };
      const outcome = await this.train(trainer, data, folder, listener);
      const givenUp = this.given.get(id);
      if (givenUp !== undefined) throw new Error(givenUp);
      return this.packed(outcome, data, folder);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      this.inHand.delete(id);
      this.given.delete(id);
      this.options.pool.giveBack(trainer);
      this.jobsDone += 1;
      void this.beat();
    }
  }

  private train(trainer: TrainerClient, data: RemoteJob, folder: string, listener: TrainListener): Promise<TrainOutcome> {
    if (data.kind === 'class-model') return trainer.trainClassModel(data.jobId, folder, listener);
    // The trainer checks the settings against its own limits before it trains.
    return trainer.train(data.jobId, data.runId, data.spec as unknown as ExperimentSpec, folder, listener, data.trainExamples);
  }

  /** The outcome with the model's files, as the job's return value. */
  private packed(outcome: TrainOutcome, data: RemoteJob, folder: string): RemoteOutcome {
    if (outcome.kind === 'failed') return outcome;
    // A cancelled class model saved nothing; a run's model is in its own folder below this one.
    const modelFolder = outcome.kind === 'run' ? outcome.result.modelPath : outcome.report ? folder : null;
    const read = modelFolder === null ? { files: [], bytes: 0 } : readModelFiles(modelFolder, this.options.maxModelBytes);
    if (read.files === null) {
      const limit = Math.round(this.options.maxModelBytes / (1024 * 1024));
      const detail = `job ${data.jobId}: the model has ${read.bytes} bytes, more than ${this.options.maxModelBytes}`;
      return { kind: 'failed', failure: { code: 'model-too-large', params: { limit }, detail }, liveTensors: outcome.liveTensors };
    }
    return { ...outcome, files: read.files };
  }

  /** Takes no more jobs, finishes the ones in hand (`stopNow` ends them sooner), then closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    // BullMQ hands it no more jobs, and waits for the ones in hand; the heartbeat says it stops.
    const closed = this.worker?.close();
    void this.beat();
    if (this.inHand.size > 0) this.log.info(`worker ${this.id} stops once its ${this.inHand.size} job(s) in hand end; stop it again to end them now`);
    await closed;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.commands.del(WORKER_KEY_PREFIX + this.id).catch((error: unknown) => this.log.error('the heartbeat key could not be removed', error));
    await this.options.pool.stop();
    for (const connection of this.connections) connection.disconnect();
  }

  /** Ends the jobs in hand after their current batch, failed with WORKER_STOPPED (their students are told). */
  stopNow(): void {
    for (const id of this.inHand.keys()) this.giveUp(id, WORKER_STOPPED);
  }
}
