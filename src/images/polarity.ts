/** How far (in grey levels) a pixel must be from the background to count as part of the item. */
const ITEM_CONTRAST = 32;

/**
 * Fashion-MNIST items are light on black; photos are usually a dark or coloured item on a light
 * background. Given how much lighter or darker than the background each pixel is, decides
 * whether the item is on the whole darker than its background, wherever it sits in the frame:
 * then the picture must be inverted. With no item at all, a light background decides.
 */
export function isItemDarker(difference: Float32Array, backgroundLevel: number): boolean {
  let itemSum = 0;
  let itemCount = 0;
  for (const value of difference) {
    if (value > ITEM_CONTRAST || value < -ITEM_CONTRAST) {
      itemSum += value;
      itemCount++;
    }
  }
  return itemCount === 0 ? backgroundLevel > 127 : itemSum < 0;
}
