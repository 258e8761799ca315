import { percentile, stripIndices, type GreyImage, type Side } from './grey-image';

/**
 * The background's grey level across the picture. Light is rarely even in a photo, so the
 * background is modelled as a plane: a level at the centre, brightening or darkening
 * steadily from left to right and from top to bottom.
 */
export interface Background {
  centreLevel: number;
  slopeX: number;
  slopeY: number;
  width: number;
  height: number;
}

/** The median grey level of a stretch of an edge strip, placed at that stretch's centre. */
interface Sample {
  x: number;
  y: number;
  level: number;
}

/** Each edge strip is cut into this many stretches, each giving one sample. */
const STRETCHES_PER_SIDE = 4;

/** A sample further than this (grey levels) from the plane is item, not background. */
const OUTLIER_LEVELS = 20;

/** Fewer samples than this cannot tell a slope from an item touching an edge. */
const MIN_SAMPLES = 6;

function edgeSamples(image: GreyImage): Sample[] {
  return (['top', 'bottom', 'left', 'right'] as const).flatMap((side: Side) => {
    const indices = stripIndices(image, side);
    const stretchLength = Math.ceil(indices.length / STRETCHES_PER_SIDE);
    return Array.from({ length: STRETCHES_PER_SIDE }, (_, stretch) => {
      const part = indices.slice(stretch * stretchLength, (stretch + 1) * stretchLength);
      const xs = part.map((index) => index % image.width);
      const ys = part.map((index) => Math.floor(index / image.width));
      return { x: percentile(xs, 0.5), y: percentile(ys, 0.5), level: percentile(part.map((index) => image.data[index]), 0.5) };
    }).filter((_, stretch) => stretch * stretchLength < indices.length);
  });
}

function determinant3(m: number[][]): number {
  return (
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
  );
}

/** Least-squares plane through the samples (coordinates relative to the picture's centre), or a flat one if they are all in a line. */
function fitPlane(samples: Sample[], centreX: number, centreY: number): { centreLevel: number; slopeX: number; slopeY: number } {
  const rows = samples.map((sample) => [1, sample.x - centreX, sample.y - centreY]);
  const normal = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((sum, row) => sum + row[i] * row[j], 0)));
  const right = [0, 1, 2].map((i) => rows.reduce((sum, row, k) => sum + row[i] * samples[k].level, 0));
  const det = determinant3(normal);
  if (Math.abs(det) < 1e-6 * Math.max(1, normal[1][1] * normal[2][2])) {
    return { centreLevel: percentile(samples.map((sample) => sample.level), 0.5), slopeX: 0, slopeY: 0 };
  }
  // Cramer's rule: replace one column of the normal matrix by the right-hand side.
  const solve = (column: number) => determinant3(normal.map((row, i) => row.map((value, j) => (j === column ? right[i] : value)))) / det;
  return { centreLevel: solve(0), slopeX: solve(1), slopeY: solve(2) };
}

/** The rounds of "keep the samples near the plane, fit it again to them". */
const REFITS = 3;

/**
 * Estimates the background from the edges, as a plane fitted to the median level of stretches
 * of each edge. Where an item touches an edge (Fashion-MNIST trousers touch top and bottom, a
 * close-up fills a side) those stretches do not fit: starting from the level most of the edge
 * has, the plane is fitted again and again to only the samples close to it.
 */
export function estimateBackground(image: GreyImage): Background {
  const centreX = (image.width - 1) / 2;
  const centreY = (image.height - 1) / 2;
  const samples = edgeSamples(image);
  let plane = { centreLevel: percentile(samples.map((sample) => sample.level), 0.5), slopeX: 0, slopeY: 0 };
  for (let round = 0; round < REFITS; round++) {
    const level = (s: Sample) => plane.centreLevel + plane.slopeX * (s.x - centreX) + plane.slopeY * (s.y - centreY);
    const close = samples.filter((sample) => Math.abs(sample.level - level(sample)) <= OUTLIER_LEVELS);
    if (close.length < MIN_SAMPLES) break;
    plane = fitPlane(close, centreX, centreY);
  }
  return { ...plane, width: image.width, height: image.height };
}

export function backgroundAt(background: Background, x: number, y: number): number {
  const { centreLevel, slopeX, slopeY, width, height } = background;
  return centreLevel + slopeX * (x - (width - 1) / 2) + slopeY * (y - (height - 1) / 2);
}

/** How much lighter (positive) or darker (negative) than the background each pixel is. */
export function differenceFromBackground(image: GreyImage, background: Background): Float32Array {
  const difference = new Float32Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const index = y * image.width + x;
      difference[index] = image.data[index] - backgroundAt(background, x, y);
    }
  }
  return difference;
}
