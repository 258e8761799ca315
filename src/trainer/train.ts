import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { learningRateOf, type ExperimentSpec } from '../experiments/spec';
import type { EpochMetrics, RunFailure, RunResult, StopReason } from '../experiments/results';
import type { FashionMnist, Split } from './dataset';
import { firstExamples, seededRandom } from './batches';
import { ProgressPacer, secondsSince, trainEpoch, type BatchProgress } from './epoch-loop';
import { evaluateTestSet, lossAndAccuracy } from './evaluate';
import { buildModel, checkModelFitsData } from './model';
import { saveModel } from './model-files';
import { StopRules } from './stop-rules';

export interface RunOptions {
  runId: string;
  backend: string;
  onEpoch?: (metrics: EpochMetrics) => void;
  onBatch?: (progress: BatchProgress) => void;
  /** Checked after every batch: a cancel takes effect within one batch. */
  shouldStop?: () => boolean;
  /** Where trained models are saved (one folder per run id); null to skip saving. */
  modelDir?: string | null;
  /** Cap on training examples (TRAIN_EXAMPLES). */
  trainExamples?: number;
  /** Evaluate on the 10,000 test images at the end (default true). */
  evaluate?: boolean;
  /** Minimum time between two onBatch calls; each one reads the running loss back from the device. */
  progressIntervalMs?: number;
}

function createOptimizer(spec: ExperimentSpec): tf.Optimizer {
  const learningRate = learningRateOf(spec);
  // Keras' defaults (epsilon 1e-7), so results compare with the course's notebooks.
  switch (spec.optimizer) {
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
  }
}

/** Keras' validation_split: the last fraction of the training examples, taken before shuffling. */
function splitValidation(train: Split, fraction: number): { fit: Split; validation: Split | null } {
  const validationCount = Math.floor(train.count * fraction);
  if (validationCount === 0) return { fit: train, validation: null };
  const fitCount = train.count - validationCount;
  const pixels = train.images.length / train.count;
  return {
    fit: firstExamples(train, fitCount),
    validation: {
      images: train.images.subarray(fitCount * pixels),
      labels: train.labels.subarray(fitCount),
      count: validationCount,
    },
  };
}

/**
 * Runs one experiment on the data set: builds the model, trains it with the spec's callbacks,
 * evaluates it on the test set and saves it. Does no I/O besides saving the model; everything
 * else goes through the callbacks in `options`.
 */
export async function runExperiment(spec: ExperimentSpec, data: FashionMnist, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const train = firstExamples(data.train, options.trainExamples ?? data.train.count);
  const epochs: EpochMetrics[] = [];
  const finish = (stopReason: StopReason, extra: Partial<RunResult> = {}): RunResult => ({
    runId: options.runId,
    epochs,
    stopReason,
    evaluation: null,
    backend: options.backend,
    seconds: secondsSince(started),
    secondsPerEpoch: epochs.length ? epochs.reduce((sum, e) => sum + e.seconds, 0) / epochs.length : null,
    trainExamples: train.count,
    modelPath: null,
    ...extra,
  });
  const failed = (failure: RunFailure) => finish({ kind: 'failed', failure });

  const model = buildModel(spec);
  const optimizer = createOptimizer(spec);
  const stopRules = new StopRules(spec);
  try {
    const misfit = checkModelFitsData(model, spec, train.labels);
    if (misfit) return failed(misfit);
    const { fit, validation } = splitValidation(train, spec.validationSplit);
    const random = seededRandom(spec.seed ?? Math.floor(Math.random() * 2 ** 31));
    const pacer = new ProgressPacer(options.progressIntervalMs);
    let stopReason: StopReason = { kind: 'completed' };
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      const epochStart = performance.now();
      const trained = await trainEpoch(model, optimizer, fit, epoch, random, { ...options, pacer, batchSize: spec.batchSize, normalize: spec.normalize });
      if (!trained) return finish({ kind: 'cancelled', epoch: epochs.length });
      const validated = validation ? await lossAndAccuracy(model, validation, spec.normalize) : null;
      const metrics: EpochMetrics = {
        epoch,
        loss: trained.loss,
        accuracy: trained.accuracy,
        valLoss: validated?.loss ?? null,
        valAccuracy: validated?.accuracy ?? null,
        seconds: secondsSince(epochStart),
      };
      // A loss of NaN or Infinity cannot be shown, stored or sent as JSON: the run ends here.
      if (!Number.isFinite(metrics.loss) || (metrics.valLoss !== null && !Number.isFinite(metrics.valLoss))) {
        return failed({ code: 'diverged', params: { epoch }, detail: `loss became ${metrics.loss} at epoch ${epoch}` });
      }
      epochs.push(metrics);
      options.onEpoch?.(metrics);
      const stop = stopRules.afterEpoch(metrics, model);
      if (stop) {
        stopReason = stop;
        break;
      }
    }
    if (stopReason.kind === 'early-stopped') stopRules.restoreBestWeights(model);
    const evaluation = options.evaluate === false ? null : await evaluateTestSet(model, data.test, spec.normalize);
    const modelPath = options.modelDir ? await saveModel(model, path.join(options.modelDir, options.runId)) : null;
    return finish(stopReason, { evaluation, modelPath });
  } finally {
    stopRules.dispose();
    optimizer.dispose();
    model.dispose();
  }
}
