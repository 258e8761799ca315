import { differenceFromBackground, estimateBackground } from '../../src/images/background';
import type { GreyImage } from '../../src/images/grey-image';
import { isItemDarker } from '../../src/images/polarity';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { datasetLikePng, firstOfEachClass, photoOf, randomStyle, testItem, type PhotoStyle } from '../support/photos';
import { decoded } from './decoded';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);
const items = firstOfEachClass(testSplit).map((index) => testItem(testSplit, index).pixels);

function itemIsDarker(image: GreyImage): boolean {
  const background = estimateBackground(image);
  return isItemDarker(differenceFromBackground(image, background), background.centreLevel);
}

describe('isItemDarker (background polarity)', () => {
  it('says to invert photo-like pictures: dark or coloured items on light, uneven backgrounds, anywhere in the frame', async () => {
    for (const [i, item] of items.entries()) {
      expect(itemIsDarker(await decoded(await photoOf(item, randomStyle(100 + i), 'png')))).toBe(true);
    }
  });

  it('says not to invert pictures like the data set: light items on black, even those touching the edges', async () => {
    for (const item of items) {
      expect(itemIsDarker(await decoded(await datasetLikePng(item, 8)))).toBe(false);
    }
  });

  it('says not to invert a photo of a light item on a dark table', async () => {
    const lightOnDark: PhotoStyle = { ...randomStyle(7), ink: [245, 245, 240], paper: [50, 40, 35] };
    for (const item of items) {
      expect(itemIsDarker(await decoded(await photoOf(item, lightOnDark, 'png')))).toBe(false);
    }
  });

  it('decides by the item, not by the centre: a small item in a corner of a large light picture', async () => {
    const cornered: PhotoStyle = { ...randomStyle(8), width: 800, height: 800, itemSize: 240, left: 20, top: 530 };
    expect(itemIsDarker(await decoded(await photoOf(items[0], cornered, 'png')))).toBe(true);
  });

  it('with no item at all, inverts a light picture and leaves a dark one', () => {
    const flat = new Float32Array(100).fill(1);
    expect(isItemDarker(flat, 230)).toBe(true);
    expect(isItemDarker(flat, 20)).toBe(false);
  });
});
