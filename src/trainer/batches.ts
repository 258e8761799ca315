import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_SIZE, PIXELS, type Split } from './dataset';

/** A deterministic pseudo-random generator (mulberry32), so a seeded run shuffles the same way. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle of the indices 0..count-1. */
export function shuffledIndices(count: number, random: () => number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = indices[i];
    indices[i] = indices[j];
    indices[j] = swap;
  }
  return indices;
}

/** What each pixel byte is multiplied by: into 0-1 when normalised, left at 0-255 otherwise. */
export function pixelScale(normalize: boolean): number {
  return normalize ? 1 / 255 : 1;
}

export interface Batch {
  images: tf.Tensor3D;
  labels: tf.Tensor1D;
}

/**
 * Copies the chosen examples into tensors: images [n, 28, 28] scaled to 0-1 when `normalize`
 * (raw 0-255 otherwise, as exercise 7 shows), labels as int32.
 */
export function makeBatch(split: Split, indices: ArrayLike<number>, normalize: boolean): Batch {
  const count = indices.length;
  const pixels = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  const scale = pixelScale(normalize);
  // A local copy: an imported constant is a property read per pixel once compiled (0.5 s an epoch).
  const pixelsPerImage = PIXELS;
  for (let row = 0; row < count; row++) {
    const index = indices[row];
    const source = split.images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage);
    const offset = row * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) pixels[offset + p] = source[p] * scale;
    labels[row] = split.labels[index];
  }
  return {
    images: tf.tensor3d(pixels, [count, IMAGE_SIZE, IMAGE_SIZE]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

/** The indices first..first+count-1, for evaluating in order. */
export function range(first: number, count: number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = first + i;
  return indices;
}

/** Keeps the first `count` examples of a split (TRAIN_EXAMPLES caps training for demos and tests). */
export function firstExamples(split: Split, count: number): Split {
  const kept = Math.min(count, split.count);
  return { images: split.images.subarray(0, kept * PIXELS), labels: split.labels.subarray(0, kept), count: kept };
}
