import type { ExperimentSpec } from '../experiments/spec';
import type { EpochMetrics, StopReason } from '../experiments/results';

/** What the stop rules make of an epoch: whether to stop, and whether it is the best one so far. */
export interface EpochVerdict {
  stop: StopReason | null;
  /** The validation loss improved: keep these weights when the spec restores the best ones. */
  keepWeights: boolean;
}

/**
 * The course's callbacks: stop once training accuracy reaches a target, and early stopping on the
 * validation loss with a patience (keeping the best weights when asked, as Keras does).
 */
export class StopRules {
  private bestValLoss = Infinity;
  private bestEpoch = 0;
  private epochsWithoutImprovement = 0;

  constructor(private readonly spec: ExperimentSpec) {}

  afterEpoch(metrics: EpochMetrics): EpochVerdict {
    if (this.spec.stopAtAccuracy !== null && metrics.accuracy >= this.spec.stopAtAccuracy) {
      return { stop: { kind: 'target-reached', epoch: metrics.epoch, accuracy: metrics.accuracy }, keepWeights: false };
    }
    if (this.spec.earlyStoppingPatience === null || metrics.valLoss === null) return { stop: null, keepWeights: false };
    if (metrics.valLoss < this.bestValLoss) {
      this.bestValLoss = metrics.valLoss;
      this.bestEpoch = metrics.epoch;
      this.epochsWithoutImprovement = 0;
      return { stop: null, keepWeights: this.spec.restoreBestWeights };
    }
    this.epochsWithoutImprovement += 1;
    if (this.epochsWithoutImprovement < this.spec.earlyStoppingPatience) return { stop: null, keepWeights: false };
    return { stop: { kind: 'early-stopped', epoch: metrics.epoch, bestEpoch: this.bestEpoch }, keepWeights: false };
  }
}
