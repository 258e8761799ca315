import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Evaluation } from '../experiments/results';
import { NUM_CLASSES, type Split } from './dataset';
import { makeBatch, range } from './batches';
import { countCorrect, sparseCategoricalCrossentropy } from './model';

const EVALUATION_BATCH = 1000;

/**
 * Runs the model over a split in large batches and hands each batch's probabilities to `visit`.
 * Reads from the device are asynchronous only: tfjs-backend-webgpu cannot read synchronously in Node.
 */
async function forEachBatch(
  model: tfl.LayersModel,
  split: Split,
  normalize: boolean,
  visit: (probabilities: tf.Tensor2D, labels: tf.Tensor1D, first: number) => Promise<void>,
): Promise<void> {
  for (let first = 0; first < split.count; first += EVALUATION_BATCH) {
    const size = Math.min(EVALUATION_BATCH, split.count - first);
    const batch = makeBatch(split, range(first, size), normalize);
    const probabilities = model.predict(batch.images, { batchSize: EVALUATION_BATCH }) as tf.Tensor2D;
    try {
      await visit(probabilities, batch.labels, first);
    } finally {
      tf.dispose([probabilities, batch.images, batch.labels]);
    }
  }
}

/** Mean loss and accuracy over a split, and each example's predicted class. */
async function predictSplit(model: tfl.LayersModel, split: Split, normalize: boolean): Promise<{ loss: number; accuracy: number; predicted: Int32Array }> {
  let lossSum = 0;
  let correct = 0;
  const predicted = new Int32Array(split.count);
  await forEachBatch(model, split, normalize, async (probabilities, labels, first) => {
    const [loss, hits, classes] = tf.tidy(() => [
      tf.mul(sparseCategoricalCrossentropy(probabilities, labels), labels.shape[0]),
      countCorrect(probabilities, labels),
      tf.argMax(probabilities, 1),
    ]);
    const [lossValue, hitsValue, classValues] = await Promise.all([loss.data(), hits.data(), classes.data()]);
    tf.dispose([loss, hits, classes]);
    lossSum += lossValue[0];
    correct += hitsValue[0];
    predicted.set(classValues as Int32Array, first);
  });
  return { loss: lossSum / split.count, accuracy: correct / split.count, predicted };
}

/** Mean loss and accuracy over a split (used for validation after each epoch). */
export async function lossAndAccuracy(model: tfl.LayersModel, split: Split, normalize: boolean): Promise<{ loss: number; accuracy: number }> {
  const { loss, accuracy } = await predictSplit(model, split, normalize);
  return { loss, accuracy };
}

/** Test loss and accuracy, per-class accuracy and the confusion matrix. */
export async function evaluateTestSet(model: tfl.LayersModel, test: Split, normalize: boolean): Promise<Evaluation> {
  const { loss, accuracy, predicted } = await predictSplit(model, test, normalize);
  return evaluationOf(predicted, test.labels, loss, accuracy);
}

/** The evaluation of a model from its predicted class for every test image, whatever computed them. */
export function evaluationOf(predicted: Int32Array, labels: Uint8Array, loss: number, accuracy: number): Evaluation {
  const confusionMatrix = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  const imagesOfClass = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const trueClass = labels[i];
    imagesOfClass[trueClass] += 1;
    // A model with more than ten outputs can answer a class that does not exist; it counts as wrong.
    if (predicted[i] < NUM_CLASSES) confusionMatrix[trueClass][predicted[i]] += 1;
  }
  const perClassAccuracy = confusionMatrix.map((row, trueClass) =>
    imagesOfClass[trueClass] === 0 ? 0 : row[trueClass] / imagesOfClass[trueClass],
  );
  return { testLoss: loss, testAccuracy: accuracy, perClassAccuracy, confusionMatrix };
}
