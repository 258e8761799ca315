import type { GreyImage } from '../../src/images/grey-image';
import { findItemBox, type Box } from '../../src/images/item-box';
import { itemOnBlack } from '../../src/images/preprocess';
import { DEBIAN_DATASET_DIR, IMAGE_SIZE, readFashionMnist } from '../../src/trainer/dataset';
import { datasetLikePng, firstOfEachClass, photoOf, randomStyle, testItem, type PhotoStyle } from '../support/photos';
import { decoded } from './decoded';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);
const items = firstOfEachClass(testSplit).map((index) => testItem(testSplit, index).pixels);

/** The item's box in its own 28x28 frame: the pixels of 26 or more, as `findItemBox` counts them. */
function boxIn28(item: Uint8Array): Box {
  let left = IMAGE_SIZE;
  let right = -1;
  let top = IMAGE_SIZE;
  let bottom = -1;
  item.forEach((value, i) => {
    if (value < 26) return;
    const x = i % IMAGE_SIZE;
    const y = Math.floor(i / IMAGE_SIZE);
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  });
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** Where the item's box lands in the photo, scaled by `shrink` as the decoder shrank the photo. */
function expectedBox(item: Uint8Array, style: PhotoStyle, shrink: number): Box {
  const box = boxIn28(item);
  const itemPixel = style.itemSize / IMAGE_SIZE;
  return {
    left: (style.left + box.left * itemPixel) * shrink,
    top: (style.top + box.top * itemPixel) * shrink,
    width: box.width * itemPixel * shrink,
    height: box.height * itemPixel * shrink,
  };
}

async function lightOnBlack(bytes: Buffer): Promise<GreyImage> {
  return itemOnBlack(await decoded(bytes)).item;
}

function expectBoxNear(found: Box | null, expected: Box, tolerance: number): void {
  expect(found).not.toBeNull();
  const box = found as Box;
  expect(Math.abs(box.left - expected.left)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(box.top - expected.top)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(box.left + box.width - (expected.left + expected.width))).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(box.top + box.height - (expected.top + expected.height))).toBeLessThanOrEqual(tolerance);
}

describe('findItemBox', () => {
  it("recovers the item's box in off-centre photos, within one of the item's own pixels, despite noise and uneven light", async () => {
    for (const [i, item] of items.entries()) {
      const style = randomStyle(200 + i);
      const image = await lightOnBlack(await photoOf(item, style, 'png'));
      const shrink = image.width / style.width;
      expectBoxNear(findItemBox(image), expectedBox(item, style, shrink), (style.itemSize / IMAGE_SIZE) * shrink + 2);
    }
  });

  it("finds the data set's own box in a picture like the data set", async () => {
    for (const item of items) {
      const image = await lightOnBlack(await datasetLikePng(item));
      expect(findItemBox(image)).toEqual(boxIn28(item));
    }
  });

  it('ignores lone specks of noise far from the item', () => {
    const data = new Uint8Array(200 * 200);
    for (let y = 50; y < 150; y++) data.fill(200, y * 200 + 80, y * 200 + 120);
    data[5 * 200 + 5] = 255;
    data[190 * 200 + 195] = 255;
    expect(findItemBox({ data, width: 200, height: 200 })).toEqual({ left: 80, top: 50, width: 40, height: 100 });
  });

  it('finds nothing in a black picture', () => {
    expect(findItemBox({ data: new Uint8Array(100), width: 10, height: 10 })).toBeNull();
  });
});
