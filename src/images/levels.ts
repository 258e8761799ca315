import { borderIndices, percentile, type GreyImage, type Size } from './grey-image';

/** Below this spread between background and item there is no item to stretch, only noise. */
const MIN_CONTRAST = 16;

/** The share of the item's pixels allowed to end up brighter than 255 (clipped). */
const CLIPPED_SHARE = 0.001;

/** The level that all but `CLIPPED_SHARE` of the non-black pixels stay below, from a histogram. */
function brightLevel(pixels: Uint8ClampedArray): number {
  const histogram = new Uint32Array(256);
  for (const value of pixels) histogram[value]++;
  let remaining = Math.floor(CLIPPED_SHARE * (pixels.length - histogram[0]));
  let level = 255;
  while (level > 0 && remaining >= histogram[level]) remaining -= histogram[level--];
  return level;
}

/**
 * The item alone, light on black as in Fashion-MNIST, whose background is exactly 0 and whose
 * items nearly all reach 255. `difference` is how much lighter than the background each pixel
 * is, `inverted` says the item is the darker part. The background's noise becomes 0: its spread
 * is read from the darker half of the edge pixels only, because an item touching an edge
 * brightens the other half.
 */
export function isolateItem(size: Size, difference: Float32Array, inverted: boolean): GreyImage {
  const sign = inverted ? -1 : 1;
  const edges = borderIndices(size).map((index) => sign * difference[index]);
  const noise = Math.max(0, 2 * percentile(edges, 0.5) - percentile(edges, 0.1));
  // Clamped arrays round and keep values within 0-255 by themselves.
  const item = new Uint8ClampedArray(difference.length);
  for (let i = 0; i < difference.length; i++) item[i] = sign * difference[i] - noise;
  const top = brightLevel(item);
  if (top >= MIN_CONTRAST) {
    for (let i = 0; i < item.length; i++) item[i] = (item[i] * 255) / top;
  }
  return { data: new Uint8Array(item.buffer), width: size.width, height: size.height };
}
