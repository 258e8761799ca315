import sharp from 'sharp';
import { enlargedPng } from '../../src/images/enlarge';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { testItem } from '../support/photos';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);

describe('enlargedPng', () => {
  it('draws each of the 28x28 pixels as a sharp 8x8 block in a grey PNG', async () => {
    const item = testItem(testSplit, 0).pixels;
    const png = await enlargedPng(item);
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 224, height: 224, channels: 1 });
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        if (data[y * 224 + x] !== item[Math.floor(y / 8) * 28 + Math.floor(x / 8)]) throw new Error(`pixel ${x},${y} is not its block's value`);
      }
    }
  });

  it('takes another scale', async () => {
    const metadata = await sharp(await enlargedPng(testItem(testSplit, 1).pixels, 3)).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 84, height: 84 });
  });

  it('refuses pictures that are not square, or a scale that is not a whole number', async () => {
    await expect(enlargedPng(new Uint8Array(100 * 3))).rejects.toThrow(RangeError);
    await expect(enlargedPng(new Uint8Array(784), 2.5)).rejects.toThrow(RangeError);
  });
});
