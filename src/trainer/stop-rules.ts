import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ExperimentSpec } from '../experiments/spec';
import type { EpochMetrics, StopReason } from '../experiments/results';

/**
 * The course's callbacks: stop once training accuracy reaches a target, and early stopping on the
 * validation loss with a patience (keeping the best weights when asked, as Keras does).
 */
export class StopRules {
  private bestValLoss = Infinity;
  private bestEpoch = 0;
  private epochsWithoutImprovement = 0;
  private bestWeights: tf.Tensor[] | null = null;

  constructor(private readonly spec: ExperimentSpec) {}

  /** Returns why training should stop after this epoch, or null to go on. */
  afterEpoch(metrics: EpochMetrics, model: tfl.LayersModel): StopReason | null {
    if (this.spec.stopAtAccuracy !== null && metrics.accuracy >= this.spec.stopAtAccuracy) {
      return { kind: 'target-reached', epoch: metrics.epoch, accuracy: metrics.accuracy };
    }
    if (this.spec.earlyStoppingPatience === null || metrics.valLoss === null) return null;
    if (metrics.valLoss < this.bestValLoss) {
      this.bestValLoss = metrics.valLoss;
      this.bestEpoch = metrics.epoch;
      this.epochsWithoutImprovement = 0;
      if (this.spec.restoreBestWeights) this.keepWeights(model);
      return null;
    }
    this.epochsWithoutImprovement += 1;
    if (this.epochsWithoutImprovement < this.spec.earlyStoppingPatience) return null;
    return { kind: 'early-stopped', epoch: metrics.epoch, bestEpoch: this.bestEpoch };
  }

  /** Puts the weights of the best epoch back into the model (restore_best_weights). */
  restoreBestWeights(model: tfl.LayersModel): void {
    if (this.bestWeights) model.setWeights(this.bestWeights);
  }

  dispose(): void {
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = null;
  }

  private keepWeights(model: tfl.LayersModel): void {
    this.dispose();
    this.bestWeights = model.getWeights().map((weight) => tf.clone(weight));
  }
}
