import { backgroundAt, estimateBackground } from '../../src/images/background';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { datasetLikePng, firstOfEachClass, photoOf, randomStyle, testItem } from '../support/photos';
import { decoded } from './decoded';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);
const items = firstOfEachClass(testSplit).map((index) => testItem(testSplit, index).pixels);

describe('estimateBackground', () => {
  it('follows uneven light: a background brightening towards the bottom-right, measured at the corners', async () => {
    // Grey paper 200, 60 levels lighter at the bottom-right corner than at the top-left.
    const style = { ...randomStyle(1), width: 600, height: 400, itemSize: 200, left: 200, top: 100, paper: [200, 200, 200] as const, gradient: 60, noise: 6 };
    const image = await decoded(await photoOf(items[0], style, 'png'));
    const background = estimateBackground(image);
    expect(backgroundAt(background, 0, 0)).toBeCloseTo(170, -1);
    expect(backgroundAt(background, image.width - 1, image.height - 1)).toBeCloseTo(230, -1);
    expect(backgroundAt(background, image.width / 2, image.height / 2)).toBeCloseTo(200, -1);
  });

  it('is not fooled by Fashion-MNIST items touching the edges: the background stays black and flat', async () => {
    for (const item of items) {
      const image = await decoded(await datasetLikePng(item, 8));
      const background = estimateBackground(image);
      expect(Math.abs(backgroundAt(background, 0, 0))).toBeLessThan(3);
      expect(Math.abs(backgroundAt(background, image.width - 1, image.height - 1))).toBeLessThan(3);
    }
  });

  it('ignores an item filling most of one side of a close-up photo', async () => {
    const closeUp = { ...randomStyle(2), width: 400, height: 400, itemSize: 380, left: 10, top: 60, paper: [230, 230, 230] as const, gradient: 0 };
    const image = await decoded(await photoOf(items[2], closeUp, 'png'));
    const background = estimateBackground(image);
    for (const [x, y] of [[0, 0], [image.width - 1, 0], [0, image.height - 1], [image.width - 1, image.height - 1]]) {
      expect(backgroundAt(background, x, y)).toBeCloseTo(230, -1);
    }
  });
});
