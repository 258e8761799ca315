import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_SIZE } from './dataset';

/**
 * Light, random changes to training images, so that the class model copes with the small
 * differences photo preprocessing leaves (an item a pixel or two off-centre, a little larger or
 * smaller, fainter, softer) and with shoes that point right (Fashion-MNIST's all point left).
 */

/** How one image is changed. */
export interface Augmentation {
  /** Pixels the item moves right (negative: left) and down (negative: up). */
  shiftX: number;
  shiftY: number;
  /** Size of the item relative to the original, around the picture's centre. */
  scale: number;
  /** Mirror left-right. */
  flip: boolean;
  /** Brightness: every pixel is multiplied by it (black stays black), then clipped to 1. */
  gain: number;
  /**
   * Mid-tone contrast: pixel + curve * pixel * (1 - pixel), which keeps black and white where
   * they are and lightens (above 0) or darkens (below 0) the greys between; -1 to 1.
   */
  curve: number;
  /** How much of a 3x3 blur is mixed in, 0 (sharp) to 1 (blurred). */
  blur: number;
}

/** The ranges augmentations are drawn from. */
export interface AugmentationRanges {
  maxShift: number;
  minScale: number;
  maxScale: number;
  flipChance: number;
  minGain: number;
  maxGain: number;
  maxCurve: number;
  maxBlur: number;
}

/**
 * Kept light on purpose: with a budget of a few epochs, stronger changes (shifts of two pixels,
 * 10% in scale, 25% darker) cost one to two points of test accuracy and gained nothing on
 * photo-like pictures.
 */
export const DEFAULT_AUGMENTATION_RANGES: AugmentationRanges = {
  maxShift: 1,
  minScale: 0.95,
  maxScale: 1.05,
  flipChance: 0.5,
  minGain: 0.85,
  maxGain: 1.1,
  maxCurve: 0.2,
  maxBlur: 0.4,
};

/** The augmentation that changes nothing. */
export const NO_AUGMENTATION: Augmentation = { shiftX: 0, shiftY: 0, scale: 1, flip: false, gain: 1, curve: 0, blur: 0 };

function uniform(random: () => number, low: number, high: number): number {
  return low + random() * (high - low);
}

/** Draws one augmentation per image; the same `random` sequence gives the same augmentations. */
export function drawAugmentations(count: number, random: () => number, ranges: AugmentationRanges = DEFAULT_AUGMENTATION_RANGES): Augmentation[] {
  return Array.from({ length: count }, () => ({
    shiftX: uniform(random, -ranges.maxShift, ranges.maxShift),
    shiftY: uniform(random, -ranges.maxShift, ranges.maxShift),
    scale: uniform(random, ranges.minScale, ranges.maxScale),
    flip: random() < ranges.flipChance,
    gain: uniform(random, ranges.minGain, ranges.maxGain),
    curve: uniform(random, -ranges.maxCurve, ranges.maxCurve),
    blur: uniform(random, 0, ranges.maxBlur),
  }));
}

const CENTRE = (IMAGE_SIZE - 1) / 2;

/**
 * The row tf.image.transform takes: it maps each output pixel back to the input point it is read
 * from, so this is the inverse of "scale about the centre, mirror, then shift".
 */
function inverseTransform({ shiftX, shiftY, scale, flip }: Augmentation): number[] {
  const ax = (flip ? -1 : 1) / scale;
  const ay = 1 / scale;
  return [ax, 0, CENTRE - ax * (CENTRE + shiftX), 0, ay, CENTRE - ay * (CENTRE + shiftY), 0, 0];
}

/** One value per image, shaped to broadcast over [n, 28, 28, 1]. */
function perImage(augmentations: Augmentation[], pick: (augmentation: Augmentation) => number): tf.Tensor4D {
  return tf.tensor4d(augmentations.map(pick), [augmentations.length, 1, 1, 1]);
}

const BLUR_KERNEL = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((weight) => weight / 16);

/**
 * Applies `augmentations[i]` to image i of `images` ([n, 28, 28], values 0-1) and returns a new
 * tensor of the same shape and range; `images` is left as it is. Everything runs on the device.
 */
export function augmentBatch(images: tf.Tensor3D, augmentations: Augmentation[]): tf.Tensor3D {
  const count = images.shape[0];
  if (augmentations.length !== count) {
    throw new RangeError(`augmentBatch needs one augmentation per image: ${augmentations.length} for ${count} images.`);
  }
  return tf.tidy(() => {
    const pictures = tf.expandDims(images, 3) as tf.Tensor4D;
    const transforms = tf.tensor2d(augmentations.flatMap(inverseTransform), [count, 8]);
    const moved = tf.image.transform(pictures, transforms, 'bilinear', 'constant', 0);
    const blurred = tf.conv2d(moved, tf.tensor4d(BLUR_KERNEL, [3, 3, 1, 1]), 1, 'same');
    const softened = tf.add(moved, tf.mul(perImage(augmentations, (a) => a.blur), tf.sub(blurred, moved)));
    const brightened = tf.clipByValue(tf.mul(softened, perImage(augmentations, (a) => a.gain)), 0, 1);
    const bend = tf.mul(brightened, tf.sub(1, brightened));
    const toned = tf.add(brightened, tf.mul(perImage(augmentations, (a) => a.curve), bend));
    return tf.squeeze(toned, [3]) as tf.Tensor3D;
  });
}
