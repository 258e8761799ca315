import { differenceFromBackground, estimateBackground } from './background';
import { decodeGrey, readHeader } from './decode';
import type { GreyImage } from './grey-image';
import { imageError, type ImageError } from './image-error';
import { sniffFormat, type SupportedFormat } from './image-format';
import { checkDimensions, DEFAULT_IMAGE_LIMITS, type ImageLimits } from './image-limits';
import { findItemBox } from './item-box';
import { isolateItem } from './levels';
import { isItemDarker } from './polarity';
import { cropToSquare, resizeSquare } from './square-frame';

export const FRAME_SIZE = 28;

/**
 * The longer side the photo is shrunk to before it is analysed: plenty of detail for a
 * 28-pixel result, and at most 256 KiB of pixels whatever the photo's size.
 */
const WORKING_SIZE = 512;

export type PreprocessOptions = Partial<ImageLimits>;

export type PreprocessResult =
  | {
      ok: true;
      /** 784 values from 0 to 1, a light item on black like Fashion-MNIST: what the model takes. */
      pixels: Float32Array;
      /** The same 28x28 picture as grey bytes, to show the student what the model saw. */
      seen: Uint8Array;
      /** Whether the picture was inverted (a dark item on a light background). */
      inverted: boolean;
      /** The format the bytes really are, whatever the file was called. */
      format: SupportedFormat;
    }
  | { ok: false; error: ImageError };

function failure(error: ImageError): PreprocessResult {
  return { ok: false, error };
}

function isImageError(value: object): value is ImageError {
  return 'code' in value && 'params' in value;
}

/** The item light on a black background, as Fashion-MNIST shows it, whichever way round the photo had it. */
export function itemOnBlack(decoded: GreyImage): { item: GreyImage; inverted: boolean } {
  const background = estimateBackground(decoded);
  const difference = differenceFromBackground(decoded, background);
  const inverted = isItemDarker(difference, background.centreLevel);
  return { item: isolateItem(decoded, difference, inverted), inverted };
}

/**
 * Turns the bytes of a photo of one piece of clothing into the 28x28 input of a Fashion-MNIST
 * model. Refuses, with an `ImageError`, anything that is not a PNG, JPEG, WebP or GIF, or
 * whose size is absurd or dangerous; never throws for bad input.
 */
export async function preprocessPhoto(bytes: Uint8Array, options: PreprocessOptions = {}): Promise<PreprocessResult> {
  const limits = { ...DEFAULT_IMAGE_LIMITS, ...options };
  if (bytes.length === 0) return failure(imageError('not-an-image', { bytes: 0 }));
  const format = sniffFormat(bytes);
  if (format === 'svg') return failure(imageError('svg'));
  if (format === null) return failure(imageError('not-an-image', { bytes: bytes.length }));

  const header = await readHeader(bytes, format);
  if (isImageError(header)) return failure(header);
  const sizeError = checkDimensions(header.width, header.height, limits);
  if (sizeError) return failure(sizeError);

  const decoded = await decodeGrey(bytes, format, limits.maxPixels, WORKING_SIZE);
  if (isImageError(decoded)) return failure(decoded);

  const { item, inverted } = itemOnBlack(decoded);
  const box = findItemBox(item) ?? { left: 0, top: 0, width: item.width, height: item.height };
  const seen = await resizeSquare(cropToSquare(item, box), FRAME_SIZE);
  const pixels = Float32Array.from(seen, (value) => value / 255);
  return { ok: true, pixels, seen, inverted, format };
}
