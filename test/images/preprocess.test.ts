import sharp from 'sharp';
import { preprocessPhoto, type PreprocessResult } from '../../src/images/preprocess';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import {
  animatedGif,
  correlation,
  datasetLikePng,
  firstOfEachClass,
  naiveShrink,
  photoOf,
  randomStyle,
  renderPhoto,
  testItem,
  type PhotoFormat,
} from '../support/photos';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);
const items = firstOfEachClass(testSplit).map((index) => testItem(testSplit, index).pixels);
const FORMATS: PhotoFormat[] = ['jpeg', 'png', 'webp', 'gif'];

type Success = Extract<PreprocessResult, { ok: true }>;

async function preprocessed(bytes: Uint8Array): Promise<Success> {
  const result = await preprocessPhoto(bytes);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result;
}

/** A 28x28 picture turned a quarter clockwise. */
function quarterTurn(item: Uint8Array): Uint8Array {
  return item.map((_, i) => item[(27 - (i % 28)) * 28 + Math.floor(i / 28)]);
}

function mirrored(item: Uint8Array): Uint8Array {
  return item.map((_, i) => item[i - (i % 28) + 27 - (i % 28)]);
}

/** The eight ways a picture can be turned and mirrored, the unchanged one first. */
function allTurnsAndMirrors(item: Uint8Array): Uint8Array[] {
  const turns = [item];
  for (let k = 1; k < 4; k++) turns.push(quarterTurn(turns[k - 1]));
  return [...turns, ...turns.map(mirrored)];
}

describe('preprocessPhoto', () => {
  it.each(FORMATS)('brings a photo-like %s back to the Fashion-MNIST item it was made from', async (format) => {
    for (const [i, item] of items.entries()) {
      const result = await preprocessed(await photoOf(item, randomStyle(300 + i), format));
      expect(result).toMatchObject({ ok: true, inverted: true, format });
      expect(correlation(result.seen, item)).toBeGreaterThan(0.8);
    }
  });

  it('gives the model 784 values from 0 to 1 that match the grey bytes shown to the student', async () => {
    const result = await preprocessed(await photoOf(items[0], randomStyle(1), 'jpeg'));
    expect(result.pixels).toBeInstanceOf(Float32Array);
    expect(result.pixels).toHaveLength(784);
    expect(result.seen).toHaveLength(784);
    result.pixels.forEach((value, i) => expect(value).toBeCloseTo(result.seen[i] / 255, 6));
    expect(Math.min(...result.pixels)).toBe(0);
    expect(Math.max(...result.pixels)).toBeGreaterThan(0.95);
  });

  it('gives back a data-set item, re-rendered larger, close to itself and without inverting it', async () => {
    for (const item of items) {
      for (const scale of [1, 10]) {
        const result = await preprocessed(await datasetLikePng(item, scale));
        expect(result.inverted).toBe(false);
        expect(correlation(result.seen, item)).toBeGreaterThan(scale === 1 ? 0.7 : 0.85);
      }
    }
  });

  it('respects the EXIF orientation of a photo taken with the camera turned or mirrored', async () => {
    const boot = items[9]; // an ankle boot: no turn or mirror leaves it the same
    const cases = [1, 2, 3, 4, 5, 6, 7, 8].map((orientation) => ['jpeg', orientation] as const);
    for (const [format, orientation] of [...cases, ['webp', 6], ['png', 8]] as const) {
      const result = await preprocessed(await photoOf(boot, randomStyle(400 + orientation), format, orientation));
      const [upright, ...wrong] = allTurnsAndMirrors(boot).map((variant) => correlation(result.seen, variant));
      expect(upright).toBeGreaterThan(0.8);
      expect(upright).toBeGreaterThan(Math.max(...wrong) + 0.1);
    }
  });

  it('is given photos really stored turned, so the test above would catch an ignored orientation', async () => {
    const style = { ...randomStyle(406), width: 600, height: 400 };
    const metadata = await sharp(await photoOf(items[9], style, 'jpeg', 6)).metadata();
    expect(metadata).toMatchObject({ orientation: 6, width: 400, height: 600 });
  });

  it('reads only the first frame of an animated GIF', async () => {
    const style = randomStyle(500);
    const gif = await animatedGif(await renderPhoto(items[7], style), await renderPhoto(items[1], style));
    const result = await preprocessed(gif);
    expect(result.format).toBe('gif');
    expect(correlation(result.seen, items[7])).toBeGreaterThan(0.8);
    expect(correlation(result.seen, items[1])).toBeLessThan(0.5);
  });

  it('lays a transparent background on white, so a dark item on transparency is inverted like one on paper', async () => {
    const alpha = await sharp(items[0], { raw: { width: 28, height: 28, channels: 1 } }).resize(280, 280).toColourspace('b-w').raw().toBuffer();
    const rgba = Buffer.alloc(280 * 280 * 4);
    for (let i = 0; i < 280 * 280; i++) rgba[i * 4 + 3] = alpha[i]; // black ink, opaque where the item is
    const png = await sharp(rgba, { raw: { width: 280, height: 280, channels: 4 } }).png().toBuffer();
    const result = await preprocessed(png);
    expect(result.inverted).toBe(true);
    expect(correlation(result.seen, items[0])).toBeGreaterThan(0.85);
  });

  it('comes far closer to the original items than shrinking the photo to 28x28 without preprocessing', async () => {
    let preprocessedTotal = 0;
    let naiveTotal = 0;
    for (const [i, item] of items.entries()) {
      const photo = await photoOf(item, randomStyle(600 + i), FORMATS[i % FORMATS.length]);
      preprocessedTotal += correlation((await preprocessed(photo)).seen, item) / items.length;
      naiveTotal += correlation(await naiveShrink(photo), item) / items.length;
    }
    expect(preprocessedTotal).toBeGreaterThan(0.9);
    expect(naiveTotal).toBeLessThan(0.2);
  });
});
