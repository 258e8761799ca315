/**
 * Pictures for tests, built from real Fashion-MNIST items: photo-like ones (a dark or coloured
 * item on a light, uneven background, large, off-centre, in any format, even tagged with an EXIF
 * orientation), pictures like the data set's own, and the bad inputs `/classify` must refuse.
 */
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { IMAGE_SIZE, PIXELS, type Split } from '../../src/trainer/dataset';

export type PhotoFormat = 'png' | 'jpeg' | 'webp' | 'gif';
export type Rgb = readonly [number, number, number];

/** Eight-bit RGB pixels, row by row. */
export interface RgbPicture {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface PhotoStyle {
  width: number;
  height: number;
  /** The side, in pixels, that the item's 28x28 frame is drawn at. */
  itemSize: number;
  /** Where the item's frame's top-left corner goes. */
  left: number;
  top: number;
  /** The colour of the item's strongest pixels (a Fashion-MNIST 255). */
  ink: Rgb;
  /** The background's colour at its centre. */
  paper: Rgb;
  /** How many grey levels the background brightens from its top-left to its bottom-right corner (negative: darkens). */
  gradient: number;
  /** The largest change, in grey levels, that noise makes to a pixel. */
  noise: number;
  seed: number;
}

/** The 784 bytes of test item `index`, and its label. */
export function testItem(test: Split, index: number): { pixels: Uint8Array; label: number } {
  return { pixels: test.images.slice(index * PIXELS, (index + 1) * PIXELS), label: test.labels[index] };
}

/** The index of the first test item of each class, 0 to 9: ten items covering every kind of clothing. */
export function firstOfEachClass(test: Split): number[] {
  return Array.from({ length: 10 }, (_, label) => test.labels.indexOf(label));
}

const imul = Math.imul; // looked up once: global look-ups are slow inside jest's sandbox

/** A small seeded random generator (mulberry32), so every picture can be built again identically. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function enlargeItem(item: Uint8Array, size: number): Promise<Uint8Array> {
  const enlarged = await sharp(item, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 1 } })
    .resize(size, size, { kernel: 'cubic' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return new Uint8Array(enlarged);
}

/**
 * Draws the item as a photo would show it: each item pixel mixes the ink into the paper in
 * proportion to its Fashion-MNIST brightness, so the item comes out dark (or coloured) on light.
 */
export async function renderPhoto(item: Uint8Array, style: PhotoStyle): Promise<RgbPicture> {
  const { width, height, itemSize, left, top, ink, paper, gradient, noise } = style;
  const coverage = await enlargeItem(item, itemSize);
  const random = seededRandom(style.seed);
  // Clamped: values round and stay within 0-255 by themselves.
  const data = new Uint8ClampedArray(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shade = gradient * ((x / width + y / height) / 2 - 0.5) + noise * (2 * random() - 1);
      const inItem = x >= left && x < left + itemSize && y >= top && y < top + itemSize;
      const weight = inItem ? coverage[(y - top) * itemSize + (x - left)] / 255 : 0;
      for (let channel = 0; channel < 3; channel++) {
        const background = paper[channel] + shade;
        data[(y * width + x) * 3 + channel] = background + weight * (ink[channel] - background);
      }
    }
  }
  return { data: new Uint8Array(data.buffer), width, height };
}

/**
 * How each EXIF orientation's stored pixels come from the upright picture (the inverse of what a
 * viewer does): a clockwise turn, then a left-right mirror.
 */
const STORED_TRANSFORMS: Record<number, { turn: number; mirror: boolean }> = {
  1: { turn: 0, mirror: false },
  2: { turn: 0, mirror: true },
  3: { turn: 180, mirror: false },
  4: { turn: 180, mirror: true },
  5: { turn: 90, mirror: true },
  6: { turn: 270, mirror: false },
  7: { turn: 270, mirror: true },
  8: { turn: 90, mirror: false },
};

function rgbSharp(picture: RgbPicture): sharp.Sharp {
  return sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 3 } });
}

async function rawRgb(image: sharp.Sharp): Promise<RgbPicture> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** Stores the picture the way a camera held sideways would, tagged so that viewers turn it upright. */
async function storedAsCamera(picture: RgbPicture, orientation: number): Promise<RgbPicture> {
  const transform = STORED_TRANSFORMS[orientation];
  if (!transform) throw new RangeError(`EXIF orientation ${orientation} does not exist (1-8).`);
  // Two steps, so the order is certain whatever order sharp applies rotate and flop in.
  const turned = await rawRgb(rgbSharp(picture).rotate(transform.turn));
  return rawRgb(rgbSharp(turned).flop(transform.mirror));
}

/** Encodes RGB pixels; with `orientation` (1-8), the pixels are stored turned and the EXIF tag says how to turn them back. */
export async function encodePicture(picture: RgbPicture, format: PhotoFormat, orientation?: number): Promise<Buffer> {
  const stored = orientation ? await storedAsCamera(picture, orientation) : picture;
  const image = rgbSharp(stored);
  const tagged = orientation ? image.withMetadata({ orientation }) : image;
  return tagged.toFormat(format).toBuffer();
}

export async function photoOf(item: Uint8Array, style: PhotoStyle, format: PhotoFormat, orientation?: number): Promise<Buffer> {
  return encodePicture(await renderPhoto(item, style), format, orientation);
}

/** A two-frame animated GIF: the first frame shows `first`, the second `second`. */
export async function animatedGif(first: RgbPicture, second: RgbPicture): Promise<Buffer> {
  const frames = await Promise.all([first, second].map((picture) => encodePicture(picture, 'png')));
  return sharp(frames, { join: { animated: true } }).gif().toBuffer();
}

const DARK_INKS: Rgb[] = [
  [20, 20, 24],
  [45, 45, 50],
  [60, 50, 40],
];
const COLOURED_INKS: Rgb[] = [
  [25, 40, 110], // navy
  [140, 20, 30], // dark red
  [30, 90, 40], // forest green
  [100, 60, 30], // brown
  [80, 30, 110], // purple
  [40, 90, 170], // denim blue
];
const PAPERS: Rgb[] = [
  [236, 236, 236], // light grey
  [245, 240, 225], // cream
  [225, 232, 242], // pale blue
  [250, 250, 250], // white
];

function pick<T>(random: () => number, choices: readonly T[]): T {
  return choices[Math.floor(random() * choices.length)];
}

function between(random: () => number, low: number, high: number): number {
  return Math.round(low + random() * (high - low));
}

/**
 * A varied photo-like style from a seed: 300-800 pixels a side, the item 45-85% of the shorter
 * side, placed off-centre with some margin, in a dark or coloured ink on a light, uneven, noisy background.
 */
export function randomStyle(seed: number): PhotoStyle {
  const random = seededRandom(seed);
  const width = between(random, 300, 800);
  const height = between(random, 300, 800);
  const itemSize = between(random, 0.45 * Math.min(width, height), 0.85 * Math.min(width, height));
  const margin = Math.round(0.03 * Math.min(width, height));
  return {
    width,
    height,
    itemSize,
    left: between(random, margin, width - itemSize - margin),
    top: between(random, margin, height - itemSize - margin),
    ink: random() < 0.4 ? pick(random, DARK_INKS) : pick(random, COLOURED_INKS),
    paper: pick(random, PAPERS),
    gradient: between(random, -30, 30),
    noise: between(random, 3, 10),
    seed,
  };
}

const SAMPLE_FORMATS: PhotoFormat[] = ['jpeg', 'png', 'webp', 'gif'];

/**
 * Test item `index` as a photo-like picture, its style and format (in turn JPEG, PNG, WebP,
 * GIF) fixed by the index: for measuring a model on many photo-like pictures.
 */
export async function photoLikeSample(test: Split, index: number): Promise<{ bytes: Buffer; label: number; format: PhotoFormat }> {
  const { pixels, label } = testItem(test, index);
  const format = SAMPLE_FORMATS[index % SAMPLE_FORMATS.length];
  return { bytes: await photoOf(pixels, randomStyle(10_000 + index), format), label, format };
}

/** The item as the data set shows it (light on black), enlarged `scale` times, as a PNG. */
export async function datasetLikePng(item: Uint8Array, scale = 1): Promise<Buffer> {
  const side = IMAGE_SIZE * scale;
  return sharp(item, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 1 } })
    .resize(side, side, { kernel: 'cubic' })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** The picture squeezed to 28x28 grey with no preprocessing at all: what a naive bot would feed the model. */
export async function naiveShrink(bytes: Uint8Array): Promise<Uint8Array> {
  const shrunk = await sharp(bytes).flatten({ background: '#ffffff' }).resize(IMAGE_SIZE, IMAGE_SIZE, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
  return new Uint8Array(shrunk);
}

/** Pearson correlation of two pictures of the same size: 1 for the same shape, whatever the brightness. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i] / n;
    meanB += b[i] / n;
  }
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < n; i++) {
    covariance += (a[i] - meanA) * (b[i] - meanB);
    varianceA += (a[i] - meanA) ** 2;
    varianceB += (b[i] - meanB) ** 2;
  }
  return covariance / Math.sqrt(varianceA * varianceB || 1);
}

/** Mean absolute difference, in grey levels (0-255). */
export function meanAbsoluteDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

// Bad inputs.

export async function solidPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c0c0c0' } }).png().toBuffer();
}

function pngChunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typeAndBody = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndBody));
  return Buffer.concat([length, typeAndBody, crc]);
}

/**
 * A valid, all-black PNG of `side` x `side` pixels in about 110 KB: a decompression bomb.
 * Built by hand (one bit per pixel, rows of zeros deflated) because asking sharp to encode
 * 900 million pixels takes 15 seconds or more.
 */
export function decompressionBombPng(side = 30000): Buffer {
  const rowBytes = 1 + Math.ceil(side / 8); // filter byte, then the packed pixels
  return greyPngOf(side, deflateSync(Buffer.alloc(rowBytes * side), { level: 9 }));
}

/** A PNG whose header says `side` x `side` pixels and whose pixel data is not deflate data: only a decoder notices. */
export function pngWithUndecodablePixels(side: number): Buffer {
  return greyPngOf(side, Buffer.from('these bytes are not deflate data at all'));
}

function greyPngOf(side: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(1, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const SVG_PICTURE = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><rect width="300" height="300" fill="white"/><circle cx="150" cy="150" r="80"/></svg>\n',
);

export const TEXT_FILE = Buffer.from('This is not a picture, whatever its name says.\n');
