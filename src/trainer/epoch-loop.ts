import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Split } from './dataset';
import { makeBatch } from './batches';
import { countCorrect, sparseCategoricalCrossentropy } from './model';
import type { EpochHooks } from './trainee';

export interface EpochOptions {
  batchSize: number;
  normalize: boolean;
  /** Changes a batch's images before the step (augmentation); returns a new tensor. */
  prepareImages?: (images: tf.Tensor3D) => tf.Tensor3D;
  hooks: EpochHooks;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface EpochTotals {
  lossSum: tf.Scalar;
  correct: tf.Scalar;
  seen: number;
}

/** Reads the running totals back from the device (the only per-batch read-back, and a rare one). */
async function readTotals(totals: EpochTotals): Promise<{ loss: number; accuracy: number }> {
  const [lossSum, correct] = await Promise.all([totals.lossSum.data(), totals.correct.data()]);
  return { loss: lossSum[0] / totals.seen, accuracy: correct[0] / totals.seen };
}

/** One optimisation step; loss and hit count stay on the device, added to the epoch's totals. */
function trainStep(model: tfl.LayersModel, optimizer: tf.Optimizer, images: tf.Tensor, labels: tf.Tensor1D, totals: EpochTotals): void {
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  let hits: tf.Scalar | undefined;
  const loss = optimizer.minimize(
    () => {
      const probabilities = model.apply(images, { training: true }) as tf.Tensor2D;
      hits = tf.keep(countCorrect(probabilities, labels));
      return sparseCategoricalCrossentropy(probabilities, labels);
    },
    true,
    variables,
  ) as tf.Scalar;
  const size = labels.shape[0];
  const lossSum = tf.tidy(() => tf.add(totals.lossSum, tf.mul(loss, size)) as tf.Scalar);
  const correct = tf.tidy(() => tf.add(totals.correct, hits as tf.Scalar) as tf.Scalar);
  tf.dispose([loss, hits as tf.Scalar, totals.lossSum, totals.correct]);
  totals.lossSum = lossSum;
  totals.correct = correct;
  totals.seen += size;
}

/**
 * Trains a TensorFlow.js model for one epoch over the examples of `fit` in the given order, in
 * batches; returns the epoch's mean loss and accuracy, or null when stopped. Shared by the
 * experiments on TensorFlow.js and the class model.
 */
export async function trainEpoch(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  fit: Split,
  order: Uint32Array,
  options: EpochOptions,
): Promise<{ loss: number; accuracy: number } | null> {
  const batches = Math.ceil(order.length / options.batchSize);
  const totals: EpochTotals = { lossSum: tf.scalar(0), correct: tf.scalar(0), seen: 0 };
  try {
    for (let batch = 0; batch < batches; batch++) {
      const { images, labels } = makeBatch(fit, order.subarray(batch * options.batchSize, (batch + 1) * options.batchSize), options.normalize);
      const prepared = options.prepareImages ? options.prepareImages(images) : images;
      trainStep(model, optimizer, prepared, labels, totals);
      tf.dispose([images, prepared, labels]);
      // Lets IPC messages (a cancel, a prediction) in between two batches.
      await yieldToEventLoop();
      if (options.hooks.shouldStop()) return null;
      if (options.hooks.progressDue()) options.hooks.onProgress({ batch: batch + 1, batches, ...(await readTotals(totals)) });
    }
    return await readTotals(totals);
  } finally {
    tf.dispose([totals.lossSum, totals.correct]);
  }
}
