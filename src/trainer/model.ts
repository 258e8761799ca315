import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ExperimentSpec } from '../experiments/spec';
import type { RunFailure } from '../experiments/results';
import { IMAGE_SIZE } from './dataset';

/**
 * Builds the network an experiment describes, as the course does in Keras:
 * Flatten(28x28) -> Dense(hidden, relu) [-> Dense(extra, relu)] -> Dense(outputs, softmax).
 * A fresh model for every run; nothing is shared between jobs.
 */
export function buildModel(spec: ExperimentSpec): tfl.Sequential {
  const model = tfl.sequential();
  // Each layer gets its own seed derived from the spec's, so that a seeded run is repeatable.
  let layerIndex = 0;
  const initializer = () => tfl.initializers.glorotUniform({ seed: spec.seed === null ? undefined : spec.seed * 1000 + layerIndex++ });
  if (spec.flatten) model.add(tfl.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE] }));
  const firstLayerInput = spec.flatten ? {} : { inputShape: [IMAGE_SIZE, IMAGE_SIZE] };
  model.add(tfl.layers.dense({ units: spec.hiddenUnits, activation: 'relu', kernelInitializer: initializer(), ...firstLayerInput }));
  if (spec.extraLayerUnits !== null) {
    model.add(tfl.layers.dense({ units: spec.extraLayerUnits, activation: 'relu', kernelInitializer: initializer() }));
  }
  model.add(tfl.layers.dense({ units: spec.outputUnits, activation: 'softmax', kernelInitializer: initializer() }));
  return model;
}

/**
 * Keras fails on these before training starts; so do we, with an explanation a student can follow.
 * - without Flatten, Dense works on the last axis only, so the model answers 28 rows of scores per
 *   image instead of one set of scores;
 * - a label must be smaller than the number of outputs.
 */
export function checkSpecFitsData(spec: ExperimentSpec, labels: Uint8Array): RunFailure | null {
  if (!spec.flatten) {
    const outputShape = [IMAGE_SIZE, spec.outputUnits];
    return {
      code: 'shape-mismatch',
      params: {
        inputShape: `(${IMAGE_SIZE}, ${IMAGE_SIZE})`,
        outputShape: `(${outputShape.join(', ')})`,
        labelShape: '()',
      },
      detail: `model output shape [batch, ${outputShape.join(', ')}] does not match labels of shape [batch]`,
    };
  }
  const largestLabel = labels.reduce((max, label) => Math.max(max, label), 0);
  if (largestLabel >= spec.outputUnits) {
    return {
      code: 'label-out-of-range',
      params: { label: largestLabel, outputs: spec.outputUnits, lastValid: spec.outputUnits - 1 },
      detail: `label ${largestLabel} is outside 0-${spec.outputUnits - 1} for ${spec.outputUnits} outputs`,
    };
  }
  return null;
}

/** Sparse categorical cross-entropy on softmax outputs, as Keras computes it. */
export function sparseCategoricalCrossentropy(probabilities: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const epsilon = 1e-7;
    const clipped = tf.clipByValue(probabilities, epsilon, 1 - epsilon);
    const oneHot = tf.oneHot(labels, probabilities.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(clipped)), 1))) as tf.Scalar;
  });
}

/** How many predictions (argmax) equal their label, as a scalar tensor. */
export function countCorrect(probabilities: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, 1), labels), 'float32')));
}
