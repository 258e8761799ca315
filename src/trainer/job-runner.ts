import * as tf from '@tensorflow/tfjs-core';
import { experimentSpecSchema, type SpecLimits } from '../experiments/spec';
import type { RunFailure } from '../experiments/results';
import type { FromTrainer, ToTrainer } from '../protocol/trainer-messages';
import type { FashionMnist } from './dataset';
import type { FusedEngine } from './fused/fused-engine';
import type { JobHold } from './job-hold';
import { ModelCache, predictProbabilities, testImage } from './predict';
import { trainClassModel } from './class-model-training';
import { runExperiment } from './train';
import { DeviceLostError } from './webgpu/gpu-device';

type TrainMessage = Extract<ToTrainer, { type: 'train' }>;
type ClassModelMessage = Extract<ToTrainer, { type: 'train-class-model' }>;
/** Jobs that train, and so run one at a time. */
type JobMessage = TrainMessage | ClassModelMessage;
type PredictMessage = Extract<ToTrainer, { type: 'predict' }>;

/** The error and its causes, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 10; current = current instanceof Error ? current.cause : undefined) chain.push(current);
  return chain;
}

/** What the bot is told when a job or prediction threw: a full disk (saving the model) is said as such; the causes go to the log. */
function failureOf(error: unknown): RunFailure {
  const chain = causeChain(error);
  const detail = chain.map((each) => (each instanceof Error ? (each.stack ?? each.message) : String(each))).join('\ncaused by: ');
  const diskFull = chain.some((each) => (each as { code?: unknown } | null)?.code === 'ENOSPC');
  const lost = chain.find((each) => each instanceof DeviceLostError);
  if (lost) return { code: 'device-lost', params: { reason: lost.reason }, detail };
  return { code: diskFull ? 'disk-full' : 'internal', params: {}, detail };
}

/** Predictions keep coming while a class works: the leak check waits for a few rounds of them at most. */
const SETTLE_ROUNDS = 10;

/** Where the runner's messages go: the IPC channel to the bot, in the trainer process. */
export type SendToBot = (message: FromTrainer) => void;

/**
 * The trainer's jobs in one process: training jobs strictly one at a time, predictions answered in
 * between batches. It speaks only the messages of src/protocol/trainer-messages.ts and knows
 * nothing of Discord, the queue or the commands.
 */
export class TrainerJobRunner {
  private readonly waiting: JobMessage[] = [];
  private running: { jobId: string; cancelled: boolean } | null = null;
  private readonly models = new ModelCache();
  private readonly predicting = new Set<Promise<void>>();

  constructor(
    private readonly data: FashionMnist,
    private readonly backend: string,
    private readonly engine: FusedEngine | null,
    private readonly trainExamples: number,
    private readonly limits: SpecLimits,
    private readonly hold: JobHold,
    private readonly send: SendToBot,
    /** Called once a job failed because the GPU device was lost: the engine is gone, the trainer must start afresh. */
    private readonly onDeviceLost: () => void = () => undefined,
  ) {}

  receive(message: ToTrainer): void {
    switch (message.type) {
      case 'train':
      case 'train-class-model':
        this.waiting.push(message);
        void this.drain();
        return;
      case 'cancel':
        this.cancel(message.jobId);
        return;
      case 'release':
        this.hold.release();
        return;
      case 'predict':
        this.track(this.predict(message));
        return;
    }
  }

  private cancel(jobId: string): void {
    if (this.running?.jobId === jobId) {
      this.running.cancelled = true;
      this.hold.wake();
    }
    const index = this.waiting.findIndex((job) => job.jobId === jobId);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  /** Runs waiting jobs one after another; a second call while one runs does nothing. */
  private async drain(): Promise<void> {
    if (this.running) return;
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
      this.running = { jobId: job.jobId, cancelled: false };
      if (job.type === 'train') await this.train(job, this.running);
      else await this.trainClassModel(job, this.running);
      this.running = null;
    }
  }

  private track(prediction: Promise<void>): void {
    this.predicting.add(prediction);
    void prediction.finally(() => this.predicting.delete(prediction));
  }

  /**
   * The leak check after a job: tensors alive besides the cached models, once the predictions
   * answered meanwhile are done with theirs (a model being loaded, an image being predicted).
   */
  private async liveTensors(): Promise<number> {
    for (let round = 0; round < SETTLE_ROUNDS && this.predicting.size > 0; round++) await Promise.allSettled([...this.predicting]);
    return tf.memory().numTensors - this.models.tensorCount();
  }

  private async train(job: TrainMessage, state: { cancelled: boolean }): Promise<void> {
    const spec = experimentSpecSchema(this.limits).safeParse(job.spec);
    if (!spec.success) {
      const failure = { code: 'internal' as const, params: {}, detail: `invalid spec: ${spec.error.message}` };
      this.send({ type: 'job-failed', jobId: job.jobId, failure, liveTensors: await this.liveTensors() });
      return;
    }
    try {
      const result = await runExperiment(spec.data, this.data, {
        runId: job.runId,
        backend: this.backend,
        engine: this.engine,
        modelDir: job.modelDir,
        trainExamples: Math.min(job.trainExamples ?? this.trainExamples, this.trainExamples),
        shouldStop: () => state.cancelled,
        betweenEpochs: (epoch) => this.hold.between(epoch),
        onEpoch: (metrics) => this.send({ type: 'epoch', jobId: job.jobId, metrics }),
        onBatch: (progress) => this.send({ type: 'batch', jobId: job.jobId, progress }),
      });
      this.send({ type: 'result', jobId: job.jobId, result, liveTensors: await this.liveTensors() });
    } catch (error) {
      this.send({ type: 'job-failed', jobId: job.jobId, failure: failureOf(error), liveTensors: await this.liveTensors() });
      if (causeChain(error).some((each) => each instanceof DeviceLostError)) this.onDeviceLost();
    }
  }

  private async trainClassModel(job: ClassModelMessage, state: { cancelled: boolean }): Promise<void> {
    try {
      const report = await trainClassModel(this.data, {
        folder: job.folder,
        trainExamples: this.trainExamples,
        shouldStop: () => state.cancelled,
        onEpoch: (metrics) => this.send({ type: 'epoch', jobId: job.jobId, metrics }),
        onBatch: (progress) => this.send({ type: 'batch', jobId: job.jobId, progress }),
      });
      // A retrained model replaces the files: forget the old one if it was loaded.
      this.models.forget(job.folder);
      this.send({ type: 'class-model-result', jobId: job.jobId, report, liveTensors: await this.liveTensors() });
    } catch (error) {
      this.send({ type: 'job-failed', jobId: job.jobId, failure: failureOf(error), liveTensors: await this.liveTensors() });
    }
  }

  private async predict(message: PredictMessage): Promise<void> {
    try {
      const model = await this.models.get(message.model.path);
      const image =
        message.input.kind === 'test-image'
          ? testImage(this.data.test, message.input.index)
          : { pixels: Float32Array.from(message.input.pixels), bytes: null, label: null };
      const seen = image.bytes ?? Uint8Array.from(image.pixels, (value) => Math.round(value * 255));
      this.send({
        type: 'prediction',
        requestId: message.requestId,
        probabilities: await predictProbabilities(model, image.pixels, message.normalize),
        seen: Array.from(seen),
        label: image.label,
      });
    } catch (error) {
      this.send({ type: 'prediction-failed', requestId: message.requestId, failure: failureOf(error) });
    }
  }
}

