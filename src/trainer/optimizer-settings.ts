import { learningRateOf, type ExperimentSpec } from '../experiments/spec';

/**
 * The optimiser of a run with every constant spelled out, so that each engine (tfjs, the fused
 * WebGPU and CPU engines) applies exactly the same update. Keras' defaults: Adam's betas 0.9 and
 * 0.999, RMSprop's rho 0.9 without momentum, epsilon 1e-7 for both.
 */
export type OptimizerSettings =
  | { kind: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'sgd'; learningRate: number }
  | { kind: 'rmsprop'; learningRate: number; rho: number; epsilon: number };

export const KERAS_EPSILON = 1e-7;

export function optimizerSettingsOf(spec: ExperimentSpec): OptimizerSettings {
  const learningRate = learningRateOf(spec);
  switch (spec.optimizer) {
    case 'adam':
      return { kind: 'adam', learningRate, beta1: 0.9, beta2: 0.999, epsilon: KERAS_EPSILON };
    case 'sgd':
      return { kind: 'sgd', learningRate };
    case 'rmsprop':
      return { kind: 'rmsprop', learningRate, rho: 0.9, epsilon: KERAS_EPSILON };
  }
}
