import type { Evaluation } from '../experiments/results';

/** Examples first..first+count-1 of the training or the test images. */
export interface ExampleRange {
  set: 'train' | 'test';
  first: number;
  count: number;
}

/** What the training loop tells an engine while an epoch runs, and asks it between batches. */
export interface EpochHooks {
  /** Asked between batches (or between groups of batches already on their way to a device). */
  shouldStop(): boolean;
  /** Asked between batches: true when a progress report is wanted now (it costs a read-back). */
  progressDue(): boolean;
  /** The running mean loss and accuracy of the epoch after `batch` batches of `batches`. */
  onProgress(progress: { batch: number; batches: number; loss: number; accuracy: number }): void;
}

/**
 * One network being trained for one run, whatever engine trains it (TensorFlow.js, or a fused
 * engine). The training loop (train.ts) owns the batch order, the stop rules and the results; a
 * trainee computes and keeps its weights.
 */
export interface Trainee {
  /**
   * One epoch over the training images `order`, in the spec's batches. The mean loss and
   * accuracy, or null when `hooks.shouldStop` said so.
   */
  trainEpoch(order: Uint32Array, hooks: EpochHooks): Promise<{ loss: number; accuracy: number } | null>;
  lossAndAccuracy(range: ExampleRange): Promise<{ loss: number; accuracy: number }>;
  /** Test loss and accuracy, per-class accuracy and the confusion matrix. */
  evaluateTestSet(): Promise<Evaluation>;
  /** Keeps a copy of the current weights (the best epoch so far). */
  keepWeights(): void;
  /** Puts the kept copy back (restore_best_weights). */
  restoreKeptWeights(): void;
  /** Saves the model in the tfjs layers format; returns the folder. */
  save(folder: string): Promise<string>;
  dispose(): void;
}
