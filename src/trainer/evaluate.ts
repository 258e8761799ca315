import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Evaluation } from '../experiments/results';
import { NUM_CLASSES, type Split } from './dataset';
import { makeBatch, range } from './batches';
import { countCorrect, sparseCategoricalCrossentropy } from './model';

const EVALUATION_BATCH = 1000;

/** Runs the model over a split in large batches and hands each batch's probabilities to `visit`. */
function forEachBatch(
  model: tfl.LayersModel,
  split: Split,
  normalize: boolean,
  visit: (probabilities: tf.Tensor2D, labels: tf.Tensor1D, first: number) => void,
): void {
  for (let first = 0; first < split.count; first += EVALUATION_BATCH) {
    const size = Math.min(EVALUATION_BATCH, split.count - first);
    const batch = makeBatch(split, range(first, size), normalize);
    tf.tidy(() => visit(model.predict(batch.images, { batchSize: EVALUATION_BATCH }) as tf.Tensor2D, batch.labels, first));
    tf.dispose([batch.images, batch.labels]);
  }
}

/** Mean loss and accuracy over a split (used for validation after each epoch). */
export async function lossAndAccuracy(model: tfl.LayersModel, split: Split, normalize: boolean): Promise<{ loss: number; accuracy: number }> {
  let lossSum = tf.scalar(0);
  let correct = tf.scalar(0);
  forEachBatch(model, split, normalize, (probabilities, labels) => {
    const size = labels.shape[0];
    const newLoss = tf.keep(tf.add(lossSum, tf.mul(sparseCategoricalCrossentropy(probabilities, labels), size)) as tf.Scalar);
    const newCorrect = tf.keep(tf.add(correct, countCorrect(probabilities, labels)) as tf.Scalar);
    tf.dispose([lossSum, correct]);
    lossSum = newLoss;
    correct = newCorrect;
  });
  const [loss, hits] = await Promise.all([lossSum.data(), correct.data()]);
  tf.dispose([lossSum, correct]);
  return { loss: loss[0] / split.count, accuracy: hits[0] / split.count };
}

/** Test loss and accuracy, per-class accuracy and the confusion matrix. */
export async function evaluateTestSet(model: tfl.LayersModel, test: Split, normalize: boolean): Promise<Evaluation> {
  const { loss, accuracy } = await lossAndAccuracy(model, test, normalize);
  const predicted = new Int32Array(test.count);
  forEachBatch(model, test, normalize, (probabilities, _labels, first) => {
    predicted.set(tf.argMax(probabilities, 1).dataSync() as Int32Array, first);
  });
  const confusionMatrix = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  const imagesOfClass = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < test.count; i++) {
    const trueClass = test.labels[i];
    imagesOfClass[trueClass] += 1;
    // A model with more than ten outputs can answer a class that does not exist; it counts as wrong.
    if (predicted[i] < NUM_CLASSES) confusionMatrix[trueClass][predicted[i]] += 1;
  }
  const perClassAccuracy = confusionMatrix.map((row, trueClass) =>
    imagesOfClass[trueClass] === 0 ? 0 : row[trueClass] / imagesOfClass[trueClass],
  );
  return { testLoss: loss, testAccuracy: accuracy, perClassAccuracy, confusionMatrix };
}
