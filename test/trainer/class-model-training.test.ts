import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchProgress, EpochMetrics } from '../../src/experiments/results';
import { preprocessPhoto } from '../../src/images/preprocess';
import { selectBackend } from '../../src/trainer/backend';
import { trainClassModel } from '../../src/trainer/class-model-training';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { lossAndAccuracy } from '../../src/trainer/evaluate';
import { loadModel, modelExists } from '../../src/trainer/model-files';
import { predictProbabilities } from '../../src/trainer/predict';
import { naiveShrink, photoOf, randomStyle, testItem, type PhotoFormat } from '../support/photos';

const data = readFashionMnist(DEBIAN_DATASET_DIR);
const folders: string[] = [];

function temporaryFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'class-model-'));
  folders.push(folder);
  return path.join(folder, 'class-model');
}

/**
 * Half the data for three epochs (about 45 seconds on a quiet 2-core machine): enough to show
 * that the model and its training work, short of the full training's accuracy (about 0.89).
 */
const BUDGET = { epochs: 3, trainExamples: 30000, seed: 1 };

/** 200 test items, every 50th of the test set (all ten classes), as photo-like pictures. */
const PHOTO_COUNT = 200;
const FORMATS: PhotoFormat[] = ['jpeg', 'png', 'webp'];

interface Photo {
  bytes: Buffer;
  label: number;
}

async function photoLikePictures(): Promise<Photo[]> {
  const photos: Photo[] = [];
  for (let i = 0; i < PHOTO_COUNT; i++) {
    const item = testItem(data.test, i * 50 + 3);
    photos.push({ bytes: await photoOf(item.pixels, randomStyle(5000 + i), FORMATS[i % FORMATS.length]), label: item.label });
  }
  return photos;
}

function testItemPixels(index: number): Float32Array {
  return Float32Array.from(testItem(data.test, index).pixels, (value) => value / 255);
}

async function predictedClass(model: tfl.LayersModel, pixels: Float32Array): Promise<number> {
  const probabilities = await predictProbabilities(model, pixels, true);
  return probabilities.indexOf(Math.max(...probabilities));
}

async function accuracyOn(model: tfl.LayersModel, photos: Photo[], toPixels: (bytes: Buffer) => Promise<Float32Array>): Promise<number> {
  let correct = 0;
  for (const photo of photos) {
    if ((await predictedClass(model, await toPixels(photo.bytes))) === photo.label) correct += 1;
  }
  return correct / photos.length;
}

async function preprocessed(bytes: Buffer): Promise<Float32Array> {
  const result = await preprocessPhoto(bytes);
  if (!result.ok) throw new Error(`preprocessing failed: ${JSON.stringify(result.error)}`);
  return result.pixels;
}

/** Only shrunk to 28x28 grey, as a bot without preprocessing would do. */
async function shrunk(bytes: Buffer): Promise<Float32Array> {
  return Float32Array.from(await naiveShrink(bytes), (value) => value / 255);
}

beforeAll(async () => {
  await selectBackend('wasm');
});

afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describe('trainClassModel', () => {
  const folder = temporaryFolder();
  const epochs: EpochMetrics[] = [];
  const batches: BatchProgress[] = [];
  let result: Awaited<ReturnType<typeof trainClassModel>>;
  let tensorsBefore = 0;
  let tensorsAfter = 0;

  beforeAll(async () => {
    tensorsBefore = tf.memory().numTensors;
    result = await trainClassModel(data, {
      folder,
      ...BUDGET,
      onEpoch: (metrics) => epochs.push(metrics),
      onBatch: (progress) => batches.push(progress),
    });
    tensorsAfter = tf.memory().numTensors;
  });

  it('trains, reports every epoch, measures test accuracy on the test set and leaks no tensor', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
    expect(result).not.toBeNull();
    expect(epochs.map((metrics) => metrics.epoch)).toEqual([1, 2, 3]);
    expect(result!.epochs).toEqual(epochs);
    expect(epochs[2].loss).toBeLessThan(epochs[0].loss);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((progress) => progress.batches === Math.ceil(BUDGET.trainExamples / 128))).toBe(true);
    expect(result!.testAccuracy).toBeGreaterThan(0.82);
    expect(result!.seconds).toBeGreaterThan(epochs.reduce((sum, metrics) => sum + metrics.seconds, 0));
  });

  it('saves a model that loadModel reads back and that scores the same on the test set', async () => {
    expect(modelExists(folder)).toBe(true);
    const model = await loadModel(folder);
    try {
      const { accuracy } = await lossAndAccuracy(model, data.test, true);
      expect(accuracy).toBeCloseTo(result!.testAccuracy, 6);
      // The fixed layer that copies 3x3 patches came through training unchanged.
      const patchKernel = model.layers.find((layer) => layer.getClassName() === 'Conv2D')!.getWeights()[0];
      const identity9x9 = Array.from({ length: 81 }, (_, i) => (i % 10 === 0 ? 1 : 0));
      expect(Array.from(patchKernel.dataSync())).toEqual(identity9x9);
      const probabilities = await predictProbabilities(model, testItemPixels(0), true);
      expect(probabilities).toHaveLength(10);
      expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
    } finally {
      model.dispose();
    }
  });

  it('classifies photo-like pictures once preprocessed, and fails on them only shrunk', async () => {
    const photos = await photoLikePictures();
    const model = await loadModel(folder);
    try {
      const preprocessedAccuracy = await accuracyOn(model, photos, preprocessed);
      const shrunkAccuracy = await accuracyOn(model, photos, shrunk);
      console.log(`class model on ${photos.length} photo-like pictures: preprocessed ${preprocessedAccuracy}, only shrunk ${shrunkAccuracy}`);
      expect(preprocessedAccuracy).toBeGreaterThanOrEqual(0.8);
      expect(shrunkAccuracy).toBeLessThan(0.4);
    } finally {
      model.dispose();
    }
  });
});

describe('cancelling trainClassModel', () => {
  it('returns null within a batch, saves nothing and leaks no tensor', async () => {
    const folder = temporaryFolder();
    const before = tf.memory().numTensors;
    let batchesSeen = 0;
    const result = await trainClassModel(data, {
      folder,
      seed: 2,
      shouldStop: () => {
        batchesSeen += 1;
        return batchesSeen === 3;
      },
    });
    expect(result).toBeNull();
    expect(batchesSeen).toBe(3);
    expect(modelExists(folder)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
