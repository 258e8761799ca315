import * as tf from '@tensorflow/tfjs-core';
import {
  augmentBatch,
  DEFAULT_AUGMENTATION_RANGES,
  drawAugmentations,
  NO_AUGMENTATION,
  type Augmentation,
} from '../../src/trainer/augment';
import { makeBatch, range, seededRandom } from '../../src/trainer/batches';
import { selectBackend } from '../../src/trainer/backend';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);

beforeAll(async () => {
  await selectBackend('wasm');
});

/** The first `count` test images as a [count, 28, 28] tensor of 0-1 values. */
function testImages(count: number): tf.Tensor3D {
  const { images, labels } = makeBatch(testSplit, range(0, count), true);
  labels.dispose();
  return images;
}

/** Runs one augmentation on one test image and reads the 784 pixels back. */
function augmentOne(index: number, augmentation: Augmentation): { before: Float32Array; after: Float32Array } {
  const { images, labels } = makeBatch(testSplit, [index], true);
  const augmented = augmentBatch(images, [augmentation]);
  const result = { before: images.dataSync() as Float32Array, after: augmented.dataSync() as Float32Array };
  tf.dispose([images, labels, augmented]);
  return result;
}

/** The brightness-weighted centre of a 28x28 picture. */
function centreOfMass(pixels: Float32Array): { x: number; y: number } {
  let total = 0;
  let x = 0;
  let y = 0;
  pixels.forEach((value, i) => {
    total += value;
    x += value * (i % 28);
    y += value * Math.floor(i / 28);
  });
  return { x: x / total, y: y / total };
}

function sum(pixels: Float32Array): number {
  return pixels.reduce((total, value) => total + value, 0);
}

// Fashion-MNIST items fill the frame along their longer side: the pullover (test image 1) is
// clear of the left and right edges, the sneaker (9) of the top and bottom ones.
const PULLOVER = 1;
const SNEAKER = 9;
const ANKLE_BOOT = 0;

describe('drawAugmentations', () => {
  it('draws the same augmentations from the same seed, and others from another seed', () => {
    const first = drawAugmentations(50, seededRandom(7));
    expect(drawAugmentations(50, seededRandom(7))).toEqual(first);
    expect(drawAugmentations(50, seededRandom(8))).not.toEqual(first);
  });

  it('keeps every value within its range, and flips about half the images', () => {
    const ranges = DEFAULT_AUGMENTATION_RANGES;
    const drawn = drawAugmentations(2000, seededRandom(1));
    const spread = (pick: (a: Augmentation) => number) => [Math.min(...drawn.map(pick)), Math.max(...drawn.map(pick))];
    const [minShift, maxShift] = spread((a) => a.shiftX);
    expect(minShift).toBeGreaterThanOrEqual(-ranges.maxShift);
    expect(minShift).toBeLessThan(-0.9 * ranges.maxShift);
    expect(maxShift).toBeLessThanOrEqual(ranges.maxShift);
    expect(maxShift).toBeGreaterThan(0.9 * ranges.maxShift);
    const [minScale, maxScale] = spread((a) => a.scale);
    expect(minScale).toBeGreaterThanOrEqual(ranges.minScale);
    expect(maxScale).toBeLessThanOrEqual(ranges.maxScale);
    const [minGain, maxGain] = spread((a) => a.gain);
    expect(minGain).toBeGreaterThanOrEqual(ranges.minGain);
    expect(maxGain).toBeLessThanOrEqual(ranges.maxGain);
    expect(Math.max(...drawn.map((a) => Math.abs(a.curve)))).toBeLessThanOrEqual(ranges.maxCurve);
    expect(Math.max(...drawn.map((a) => a.blur))).toBeLessThanOrEqual(ranges.maxBlur);
    const flipped = drawn.filter((a) => a.flip).length / drawn.length;
    expect(flipped).toBeGreaterThan(ranges.flipChance - 0.05);
    expect(flipped).toBeLessThan(ranges.flipChance + 0.05);
  });
});

describe('augmentBatch', () => {
  it('keeps the shape and the 0-1 range of real images, leaves its input alone and leaks no tensor', () => {
    const images = testImages(64);
    const original = images.dataSync().slice();
    const before = tf.memory().numTensors;
    const augmented = augmentBatch(images, drawAugmentations(64, seededRandom(3)));
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(augmented.shape).toEqual([64, 28, 28]);
    const values = augmented.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(images.dataSync()).toEqual(original);
    expect(values).not.toEqual(original);
    tf.dispose([images, augmented]);
  });

  it('changes nothing with the augmentation that changes nothing', () => {
    const { before, after } = augmentOne(PULLOVER, NO_AUGMENTATION);
    after.forEach((value, i) => expect(value).toBeCloseTo(before[i], 5));
  });

  it('moves the item by the shift', () => {
    const across = augmentOne(PULLOVER, { ...NO_AUGMENTATION, shiftX: 2 });
    expect(centreOfMass(across.after).x - centreOfMass(across.before).x).toBeCloseTo(2, 1);
    expect(centreOfMass(across.after).y - centreOfMass(across.before).y).toBeCloseTo(0, 1);
    const up = augmentOne(SNEAKER, { ...NO_AUGMENTATION, shiftY: -1.5 });
    expect(centreOfMass(up.after).y - centreOfMass(up.before).y).toBeCloseTo(-1.5, 1);
    expect(centreOfMass(up.after).x - centreOfMass(up.before).x).toBeCloseTo(0, 1);
  });

  it('mirrors the item left to right', () => {
    const { before, after } = augmentOne(ANKLE_BOOT, { ...NO_AUGMENTATION, flip: true });
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) expect(after[y * 28 + x]).toBeCloseTo(before[y * 28 + 27 - x], 5);
    }
  });

  it('shrinks and enlarges the item around the centre', () => {
    const { before, after: smaller } = augmentOne(PULLOVER, { ...NO_AUGMENTATION, scale: 0.8 });
    const { after: larger } = augmentOne(PULLOVER, { ...NO_AUGMENTATION, scale: 1.1 });
    // The area an item covers grows with the square of its size.
    expect(sum(smaller) / sum(before)).toBeCloseTo(0.64, 1);
    expect(sum(larger)).toBeGreaterThan(sum(before));
    expect(centreOfMass(smaller).x).toBeCloseTo(centreOfMass(before).x, 0);
  });

  it('changes brightness and contrast but keeps the background black', () => {
    const { before, after: darker } = augmentOne(PULLOVER, { ...NO_AUGMENTATION, gain: 0.8 });
    expect(sum(darker) / sum(before)).toBeCloseTo(0.8, 2);
    const { after: lighterGreys } = augmentOne(PULLOVER, { ...NO_AUGMENTATION, curve: 0.3 });
    expect(sum(lighterGreys)).toBeGreaterThan(sum(before));
    for (const changed of [darker, lighterGreys]) {
      before.forEach((value, i) => {
        if (value === 0) expect(changed[i]).toBe(0);
      });
    }
  });

  it('softens edges with blur', () => {
    const sharpness = (pixels: Float32Array) => {
      let total = 0;
      for (let i = 0; i < pixels.length - 1; i++) if (i % 28 !== 27) total += Math.abs(pixels[i + 1] - pixels[i]);
      return total;
    };
    const { before, after } = augmentOne(PULLOVER, { ...NO_AUGMENTATION, blur: 1 });
    expect(sharpness(after)).toBeLessThan(0.9 * sharpness(before));
  });

  it('refuses a list of augmentations that does not match the batch', () => {
    const images = testImages(3);
    expect(() => augmentBatch(images, [NO_AUGMENTATION])).toThrow(RangeError);
    images.dispose();
  });
});
