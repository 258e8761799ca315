import { differenceFromBackground, estimateBackground } from '../../src/images/background';
import type { GreyImage } from '../../src/images/grey-image';
import { isolateItem } from '../../src/images/levels';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { datasetLikePng, firstOfEachClass, meanAbsoluteDifference, photoOf, randomStyle, testItem } from '../support/photos';
import { decoded } from './decoded';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);
const items = firstOfEachClass(testSplit).map((index) => testItem(testSplit, index).pixels);

function isolated(image: GreyImage, inverted: boolean): GreyImage {
  return isolateItem(image, differenceFromBackground(image, estimateBackground(image)), inverted);
}

/** The grey levels of the pixels left of column `x1`. */
function leftPart(image: GreyImage, x1: number): number[] {
  const values: number[] = [];
  for (let y = 0; y < image.height; y++) values.push(...image.data.subarray(y * image.width, y * image.width + x1));
  return values;
}

function maximum(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, values[i]);
  return largest;
}

describe('isolateItem', () => {
  it('makes a noisy, uneven photo background black and the dark item white, as in Fashion-MNIST', async () => {
    const style = { ...randomStyle(3), width: 600, height: 400, itemSize: 250, left: 320, top: 100, gradient: 40, noise: 10 };
    const item = isolated(await decoded(await photoOf(items[0], style, 'png')), true);
    // The left half of the picture holds no item: despite noise and gradient it must be mostly
    // black, and nowhere bright enough to pass for part of the item.
    const background = leftPart(item, item.width / 2);
    expect(background.filter((value) => value === 0).length / background.length).toBeGreaterThan(0.85);
    expect(maximum(background)).toBeLessThan(26);
    expect(maximum(item.data)).toBe(255);
  });

  it('barely changes a picture already like the data set, even when the item touches the edges', async () => {
    for (const original of items) {
      const image = await decoded(await datasetLikePng(original));
      const item = isolated(image, false);
      // The black background stays black; at most the brightest pixel is raised to 255.
      expect(item.data.filter((value, i) => image.data[i] === 0 && value !== 0)).toHaveLength(0);
      expect(maximum(item.data)).toBe(255);
      expect(meanAbsoluteDifference(item.data, image.data)).toBeLessThan(3);
    }
  });

  it('does not amplify the noise of a picture with no item', () => {
    const noise = new Float32Array(400).map((_, i) => (i % 5) - 2);
    expect(maximum(isolateItem({ width: 20, height: 20 }, noise, false).data)).toBeLessThan(5);
  });
});
