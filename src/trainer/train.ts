import path from 'node:path';
import type { ExperimentSpec } from '../experiments/spec';
import type { BatchProgress, EpochMetrics, RunFailure, RunResult, StopReason } from '../experiments/results';
import type { FashionMnist } from './dataset';
import { seededRandom, shuffledIndices } from './batches';
import type { FusedEngine } from './fused/fused-engine';
import { FusedTrainee } from './fused/fused-trainee';
import { checkSpecFitsData } from './model';
import { optimizerSettingsOf } from './optimizer-settings';
import { epochHooks, ProgressPacer, secondsSince } from './progress-pacer';
import { StopRules } from './stop-rules';
import { TfjsTrainee } from './tfjs-trainee';
import type { Trainee } from './trainee';

export interface RunOptions {
  runId: string;
  backend: string;
  /** The fused engine that trains; TensorFlow.js on the active backend when absent. */
  engine?: FusedEngine | null;
  onEpoch?: (metrics: EpochMetrics) => void;
  onBatch?: (progress: BatchProgress) => void;
  /** Checked after every batch: a cancel takes effect within one batch. */
  shouldStop?: () => boolean;
  /** Awaited between two epochs, after the first of them (where the trainer holds a job for a test). */
  betweenEpochs?: (epoch: number) => Promise<void>;
  /** Where trained models are saved (one folder per run id); null to skip saving. */
  modelDir?: string | null;
  /** Cap on training examples (TRAIN_EXAMPLES). */
  trainExamples?: number;
  /** Evaluate on the 10,000 test images at the end (default true). */
  evaluate?: boolean;
  /** Minimum time between two onBatch calls; each one reads the running loss back from the device. */
  progressIntervalMs?: number;
}

/** Keras' validation_split: the last fraction of the training examples, taken before shuffling. */
function splitCounts(trainCount: number, fraction: number): { fitCount: number; validationCount: number } {
  const validationCount = Math.floor(trainCount * fraction);
  return { fitCount: trainCount - validationCount, validationCount };
}

function openTrainee(spec: ExperimentSpec, data: FashionMnist, engine: FusedEngine | null): Promise<Trainee> | Trainee {
  return engine ? FusedTrainee.open(engine, spec, data) : new TfjsTrainee(spec, data, optimizerSettingsOf(spec));
}

/**
 * Runs one experiment on the data set, whatever engine trains it: the same batch order for a
 * seed, the course's stop rules, validation after each epoch, evaluation on the test set, and
 * the model saved. Does no I/O besides saving the model; everything else goes through the
 * callbacks in `options`.
 */
export async function runExperiment(spec: ExperimentSpec, data: FashionMnist, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const trainCount = Math.min(options.trainExamples ?? data.train.count, data.train.count);
  const epochs: EpochMetrics[] = [];
  const finish = (stopReason: StopReason, extra: Partial<RunResult> = {}): RunResult => ({
    runId: options.runId,
    epochs,
    stopReason,
    evaluation: null,
    backend: options.backend,
    seconds: secondsSince(started),
    secondsPerEpoch: epochs.length ? epochs.reduce((sum, e) => sum + e.seconds, 0) / epochs.length : null,
    trainExamples: trainCount,
    modelPath: null,
    ...extra,
  });
  const failed = (failure: RunFailure) => finish({ kind: 'failed', failure });

  const misfit = checkSpecFitsData(spec, data.train.labels.subarray(0, trainCount));
  if (misfit) return failed(misfit);
  const trainee = await openTrainee(spec, data, options.engine ?? null);
  try {
    const { fitCount, validationCount } = splitCounts(trainCount, spec.validationSplit);
    const random = seededRandom(spec.seed ?? Math.floor(Math.random() * 2 ** 31));
    const pacer = new ProgressPacer(options.progressIntervalMs);
    const stopRules = new StopRules(spec);
    let stopReason: StopReason = { kind: 'completed' };
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      if (epoch > 1) await options.betweenEpochs?.(epoch - 1);
      const epochStart = performance.now();
      const trained = await trainee.trainEpoch(shuffledIndices(fitCount, random), epochHooks(epoch, pacer, options));
      if (!trained) return finish({ kind: 'cancelled', epoch: epochs.length });
      const validated = validationCount > 0 ? await trainee.lossAndAccuracy({ set: 'train', first: fitCount, count: validationCount }) : null;
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
      const verdict = stopRules.afterEpoch(metrics);
      if (verdict.keepWeights) trainee.keepWeights();
      if (verdict.stop) {
        stopReason = verdict.stop;
        break;
      }
    }
    if (stopReason.kind === 'early-stopped' && spec.restoreBestWeights) trainee.restoreKeptWeights();
    const evaluation = options.evaluate === false ? null : await trainee.evaluateTestSet();
    const modelPath = options.modelDir ? await trainee.save(path.join(options.modelDir, options.runId)) : null;
    return finish(stopReason, { evaluation, modelPath });
  } finally {
    trainee.dispose();
  }
}
