import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BatchProgress, EpochMetrics } from '../experiments/results';
import { augmentBatch, drawAugmentations } from './augment';
import { firstExamples, seededRandom, shuffledIndices } from './batches';
import { IMAGE_SIZE, NUM_CLASSES, type FashionMnist } from './dataset';
import { lossAndAccuracy } from './evaluate';
import { saveModel } from './model-files';
import { trainEpoch } from './epoch-loop';
import { epochHooks, ProgressPacer, secondsSince } from './progress-pacer';

/**
 * The class model: the network that answers `/classify` for students' photos, trained once for
 * the whole class (not for an exercise) on augmented Fashion-MNIST images.
 */

export interface ClassModelOptions {
  /** Where the model is saved (model.json + weights.bin). */
  folder: string;
  epochs?: number;
  /** Cap on training examples (TRAIN_EXAMPLES); all 60,000 by default. */
  trainExamples?: number;
  onEpoch?: (metrics: EpochMetrics) => void;
  onBatch?: (progress: BatchProgress) => void;
  /** Checked after every batch: a cancel takes effect within one batch. */
  shouldStop?: () => boolean;
  /** Fixes the initial weights, the order of examples and the augmentations (dropout stays random). */
  seed?: number;
}

/**
 * About 30 seconds an epoch on the wasm backend of a quiet 2-core machine, two and a half
 * minutes in all; five epochs reach a test accuracy of about 0.89.
 */
const DEFAULT_EPOCHS = 5;
const BATCH_SIZE = 128;
const LEARNING_RATE = 0.001;

const PATCH_SIDE = 3;
const PATCH_PIXELS = PATCH_SIDE * PATCH_SIDE;
const FILTERS = 32;
const HIDDEN_UNITS = 128;
const DROPOUT = 0.3;

/**
 * A fixed convolution that copies each 3x3 neighbourhood (every second pixel) into 9 channels.
 * A Dense layer after it works on that last axis, position by position, so the pair is exactly a
 * trainable 3x3 convolution with stride 2. It is built this way because tfjs-backend-wasm 4.22
 * has no Conv2DBackpropFilter kernel, so a trainable Conv2D cannot learn there, while this needs
 * only the forward convolution and matrix products. The model stays made of standard layers, so
 * loadModel reads it without extra code.
 */
function patchLayer(): tfl.layers.Layer {
  return tfl.layers.conv2d({
    filters: PATCH_PIXELS,
    kernelSize: PATCH_SIDE,
    strides: 2,
    padding: 'same',
    useBias: false,
    trainable: false,
  });
}

/** Channel k of the patch layer is the pixel at position k of the 3x3 window: an identity kernel. */
function identityPatchKernel(): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(tf.eye(PATCH_PIXELS), [PATCH_SIDE, PATCH_SIDE, 1, PATCH_PIXELS]));
}

/**
 * 28x28 (0-1) -> 3x3 convolution, stride 2, 32 filters -> Dense(128) -> 10 softmax, with
 * dropout: small enough to train on the whole data set in a few minutes without a GPU.
 */
function buildClassModel(seed: number | undefined): tfl.Sequential {
  let layerIndex = 0;
  const initializer = () => tfl.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed * 1000 + layerIndex++ });
  const patches = patchLayer();
  const model = tfl.sequential({
    layers: [
      tfl.layers.reshape({ inputShape: [IMAGE_SIZE, IMAGE_SIZE], targetShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }),
      patches,
      tfl.layers.dense({ units: FILTERS, activation: 'relu', kernelInitializer: initializer() }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: DROPOUT }),
      tfl.layers.dense({ units: HIDDEN_UNITS, activation: 'relu', kernelInitializer: initializer() }),
      tfl.layers.dropout({ rate: DROPOUT }),
      tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: initializer() }),
    ],
  });
  const kernel = identityPatchKernel();
  patches.setWeights([kernel]);
  kernel.dispose();
  return model;
}

/**
 * Trains the class model, measures its accuracy on the 10,000 test images and saves it in
 * `options.folder`. Returns null, saving nothing, when cancelled through `shouldStop`.
 */
export async function trainClassModel(
  data: FashionMnist,
  options: ClassModelOptions,
): Promise<{ testAccuracy: number; seconds: number; epochs: EpochMetrics[] } | null> {
  const started = performance.now();
  const fit = firstExamples(data.train, options.trainExamples ?? data.train.count);
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  const model = buildClassModel(options.seed);
  // Keras' epsilon, as the experiments use.
  const optimizer = tf.train.adam(LEARNING_RATE, 0.9, 0.999, 1e-7);
  try {
    const epochs: EpochMetrics[] = [];
    const pacer = new ProgressPacer();
    for (let epoch = 1; epoch <= (options.epochs ?? DEFAULT_EPOCHS); epoch++) {
      const epochStart = performance.now();
      const trained = await trainEpoch(model, optimizer, fit, shuffledIndices(fit.count, random), {
        batchSize: BATCH_SIZE,
        normalize: true,
        prepareImages: (images) => augmentBatch(images, drawAugmentations(images.shape[0], random)),
        hooks: epochHooks(epoch, pacer, options),
      });
      if (!trained) return null;
      const metrics: EpochMetrics = { epoch, ...trained, valLoss: null, valAccuracy: null, seconds: secondsSince(epochStart) };
      epochs.push(metrics);
      options.onEpoch?.(metrics);
    }
    const { accuracy } = await lossAndAccuracy(model, data.test, true);
    await saveModel(model, options.folder);
    return { testAccuracy: accuracy, seconds: secondsSince(started), epochs };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
