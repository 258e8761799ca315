import sharp from 'sharp';
import type { GreyImage } from './grey-image';
import type { Box } from './item-box';

/** Copies `box` out of `image`, centred on a black square as wide as the box's longer side. */
export function cropToSquare(image: GreyImage, box: Box): GreyImage {
  const side = Math.max(box.width, box.height);
  const offsetX = Math.floor((side - box.width) / 2);
  const offsetY = Math.floor((side - box.height) / 2);
  const data = new Uint8Array(side * side);
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * image.width + box.left;
    data.set(image.data.subarray(from, from + box.width), (offsetY + y) * side + offsetX);
  }
  return { data, width: side, height: side };
}

/** Resizes a square grey picture to `size` x `size`. */
export async function resizeSquare(square: GreyImage, size: number): Promise<Uint8Array> {
  const resized = await sharp(square.data, { raw: { width: square.width, height: square.height, channels: 1 } })
    .resize(size, size, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength);
}
