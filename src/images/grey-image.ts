export interface Size {
  width: number;
  height: number;
}

/** An 8-bit, one-channel picture, row by row. */
export interface GreyImage extends Size {
  data: Uint8Array;
}

export type Side = 'top' | 'bottom' | 'left' | 'right';

/** The width of the strip along each edge where the background is sampled, as a fraction of the shorter side. */
const STRIP_FRACTION = 0.03;

function stripWidth(image: Size): number {
  return Math.max(1, Math.round(STRIP_FRACTION * Math.min(image.width, image.height)));
}

/** The indices of the pixels in the strip along one edge, where the background shows in most photos. */
export function stripIndices(image: Size, side: Side): number[] {
  const { width, height } = image;
  const strip = stripWidth(image);
  const rows = side === 'top' ? [0, strip] : side === 'bottom' ? [height - strip, height] : [0, height];
  const columns = side === 'left' ? [0, strip] : side === 'right' ? [width - strip, width] : [0, width];
  const indices: number[] = [];
  for (let y = rows[0]; y < rows[1]; y++) {
    for (let x = columns[0]; x < columns[1]; x++) indices.push(y * width + x);
  }
  return indices;
}

/** The indices of the pixels in all four edge strips (the corners twice). */
export function borderIndices(image: Size): number[] {
  return (['top', 'bottom', 'left', 'right'] as const).flatMap((side) => stripIndices(image, side));
}

/** The value below which `fraction` of `values` lie (0.5 is the median); 0 for no values. */
export function percentile(values: ArrayLike<number>, fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
