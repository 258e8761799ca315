import type { GreyImage } from './grey-image';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A pixel this bright (of 255, background at 0) belongs to the item. */
const ITEM_LEVEL = 26;

/** A row or column belongs to the item when at least this fraction of the shorter side is item; lone specks of noise do not. */
const MIN_LINE_FRACTION = 0.01;

function firstAndLast(counts: Uint32Array, minimum: number): [number, number] | null {
  const first = counts.findIndex((count) => count >= minimum);
  if (first < 0) return null;
  let last = counts.length - 1;
  while (counts[last] < minimum) last--;
  return [first, last];
}

/**
 * The smallest box holding the item, on a picture whose background is black. No margin:
 * Fashion-MNIST items fill their frame edge to edge along their longer side.
 */
export function findItemBox(image: GreyImage): Box | null {
  const { data, width, height } = image;
  const rows = new Uint32Array(height);
  const columns = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] >= ITEM_LEVEL) {
        rows[y]++;
        columns[x]++;
      }
    }
  }
  const minimum = Math.max(1, Math.round(MIN_LINE_FRACTION * Math.min(width, height)));
  const vertical = firstAndLast(rows, minimum);
  const horizontal = firstAndLast(columns, minimum);
  if (!vertical || !horizontal) return null;
  return { left: horizontal[0], top: vertical[0], width: horizontal[1] - horizontal[0] + 1, height: vertical[1] - vertical[0] + 1 };
}
