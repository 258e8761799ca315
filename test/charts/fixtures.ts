import { loadImage, createCanvas } from '@napi-rs/canvas';
import type { EpochMetrics } from '../../src/experiments/results';

/** A believable run: training loss keeps falling while validation loss turns up after epoch 6. */
export function overfittingRun(epochCount: number, withValidation = true): EpochMetrics[] {
  return Array.from({ length: epochCount }, (_, i) => {
    const epoch = i + 1;
    return {
      epoch,
      loss: 0.6 * Math.exp(-epoch / 6) + 0.15,
      accuracy: 0.78 + 0.14 * (1 - Math.exp(-epoch / 5)),
      valLoss: withValidation ? 0.42 + 0.002 * (epoch - 6) ** 2 : null,
      valAccuracy: withValidation ? 0.83 + 0.05 * (1 - Math.exp(-epoch / 3)) : null,
      seconds: 3.5,
    };
  });
}

export interface Pixels {
  width: number;
  height: number;
  /** [r, g, b, a] at (x, y) */
  at(x: number, y: number): [number, number, number, number];
  region(x: number, y: number, width: number, height: number): Buffer;
}

/** Decodes PNG bytes with @napi-rs/canvas so tests can look at single pixels. */
export async function decodePng(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    at(x, y) {
      const i = (y * image.width + x) * 4;
      return [data[i], data[i + 1], data[i + 2], data[i + 3]];
    },
    region(x, y, width, height) {
      return Buffer.from(ctx.getImageData(x, y, width, height).data);
    },
  };
}
