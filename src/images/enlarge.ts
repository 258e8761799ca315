import sharp from 'sharp';

/**
 * A PNG of a square grey picture (such as the 28x28 the model saw), each pixel drawn as a
 * `scale` x `scale` block so students see the real pixels rather than a blur.
 */
export async function enlargedPng(grey28: Uint8Array, scale = 8): Promise<Buffer> {
  const side = Math.round(Math.sqrt(grey28.length));
  if (side * side !== grey28.length || side === 0) {
    throw new RangeError(`enlargedPng needs a square picture, got ${grey28.length} pixels.`);
  }
  if (!Number.isInteger(scale) || scale < 1) {
    throw new RangeError(`enlargedPng needs a whole scale of at least 1, got ${scale}.`);
  }
  return sharp(grey28, { raw: { width: side, height: side, channels: 1 } })
    .resize(side * scale, side * scale, { kernel: 'nearest' })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}
