import { imageError, type ImageError } from './image-error';

/** Sizes a picture of one piece of clothing can sensibly have. */
export interface ImageLimits {
  /** Decoding more pixels than this could exhaust memory (a "decompression bomb"). */
  maxPixels: number;
  /** Below this many pixels on a side there is nothing to recognise. */
  minSide: number;
  /** Longer side over shorter side; a 20000x1 strip is not a photo. */
  maxAspect: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  // A 40-megapixel photo is far beyond what a phone sends through Discord's compression.
  maxPixels: 40_000_000,
  minSide: 8,
  maxAspect: 20,
};

/** Checks the size the file's header declares, before anything is decoded. */
export function checkDimensions(width: number, height: number, limits: ImageLimits): ImageError | null {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    return imageError('too-many-pixels', { width, height, pixels, maxPixels: limits.maxPixels });
  }
  const aspect = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (aspect > limits.maxAspect) {
    return imageError('bad-aspect', { width, height, maxAspect: limits.maxAspect });
  }
  if (Math.min(width, height) < limits.minSide) {
    return imageError('too-small', { width, height, minSide: limits.minSide });
  }
  return null;
}
