import type { OptimizerSettings } from '../optimizer-settings';
import type { EpochHooks } from '../trainee';
import type { DenseNetwork, DenseWeights } from './dense-network';

/**
 * A fused engine trains the course's Dense networks with one whole training step (forward,
 * softmax cross-entropy, backward, optimiser update) in a few device calls, on data it holds for
 * the life of the trainer process: the WGSL engine on WebGPU, the ONNX engine on every CPU core.
 * The shared loop (train.ts) decides the batch order, the stop rules and what is reported; an
 * engine only computes.
 *
 * Examples are named by their index in the data set's training or test images, as the engine
 * was given them when it was created (see the engines' factories).
 */
export interface FusedEngine {
  /** What /status and results call it, e.g. "webgpu-fused" or "onnx-fused". */
  readonly name: string;
  /** Starts training a network from `weights`; the optimiser state starts at zero. */
  open(network: DenseNetwork, weights: DenseWeights, optimizer: OptimizerSettings): Promise<FusedModel>;
  /** Frees what the engine holds for the whole process (the data set on the device, sessions). */
  dispose(): Promise<void>;
  /** Engines that drive a GPU count how (for the benchmark), over all work since they were made. */
  deviceWork?(): DeviceWork;
}

export interface DeviceWork {
  /** Training steps (batches) run. */
  steps: number;
  /** Compute dispatches encoded for those steps. */
  dispatches: number;
  /** Command buffers submitted for those steps. */
  submits: number;
  /** Training epochs run. */
  epochs: number;
  /** CPU seconds spent encoding and submitting that work. */
  hostSeconds: number;
}


/** Loss and accuracy over a range of examples, and each example's predicted class. */
export interface RangeEvaluation {
  loss: number;
  accuracy: number;
  predicted: Int32Array;
}

/** One network being trained by a fused engine; dispose it when the job ends. */
export interface FusedModel {
  /**
   * Trains on the training images `order` in that order, in batches of `batchSize` (the last one
   * may be shorter), scaling pixels by `scale` (1/255 normalised, 1 raw). Resolves with the
   * epoch's mean loss and accuracy, or null when `shouldStop` said so.
   */
  trainEpoch(order: Uint32Array, batchSize: number, scale: number, hooks: EpochHooks): Promise<{ loss: number; accuracy: number } | null>;
  /** Evaluates the examples first..first+count-1 of the training or the test images. */
  evaluate(set: 'train' | 'test', first: number, count: number, scale: number): Promise<RangeEvaluation>;
  /** The current weights, in tfjs' layout. */
  readWeights(): Promise<DenseWeights>;
  /** Keeps a copy of the current weights (the best epoch so far, for restore_best_weights). */
  keepWeights(): void;
  /** Puts the kept copy back. */
  restoreKeptWeights(): void;
  /**
   * The forward and backward pass of one batch without an update: probabilities, mean loss and
   * the gradient of every parameter. Tests compare these with TensorFlow.js.
   */
  gradients(indices: Uint32Array, scale: number): Promise<{ probabilities: Float32Array; loss: number; gradients: DenseWeights }>;
  dispose(): void;
}
