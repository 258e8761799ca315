import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DownloadProgress } from '../protocol/trainer-messages';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;

/** One half of the data set: `count` images of 28x28 bytes (0-255) and their labels (0-9). */
export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface FashionMnist {
  train: Split;
  test: Split;
  /** The folder the files were read from. */
  source: string;
}

interface IdxFile {
  name: string;
  magic: number;
  count: number;
  /** SHA-256 of the uncompressed file, the same whichever copy (mirror, Debian) it came from. */
  sha256: string;
}

const FILES = {
  trainImages: {
    name: 'train-images-idx3-ubyte.gz',
    magic: 2051,
    count: 60000,
    sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  },
  trainLabels: {
    name: 'train-labels-idx1-ubyte.gz',
    magic: 2049,
    count: 60000,
    sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  },
  testImages: {
    name: 't10k-images-idx3-ubyte.gz',
    magic: 2051,
    count: 10000,
    sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  },
  testLabels: {
    name: 't10k-labels-idx1-ubyte.gz',
    magic: 2049,
    count: 10000,
    sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
  },
} satisfies Record<string, IdxFile>;

export const DATASET_FILE_NAMES = Object.values(FILES).map((file) => file.name);

export class DatasetError extends Error {}

/**
 * Parses an uncompressed IDX file (the format of MNIST and Fashion-MNIST): a big-endian magic
 * number (2049 for labels, 2051 for images), the count, for images the row and column counts,
 * then one byte per label or pixel.
 */
export function parseIdx(bytes: Uint8Array, expectedMagic: number, fileName: string): { count: number; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = expectedMagic === 2051 ? 16 : 8;
  if (bytes.byteLength < headerSize) {
    throw new DatasetError(`${fileName} is too short to be an IDX file (${bytes.byteLength} bytes).`);
  }
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new DatasetError(`${fileName} has magic number ${magic}, expected ${expectedMagic}: it is not the right IDX file.`);
  }
  const count = view.getUint32(4);
  const itemSize = expectedMagic === 2051 ? PIXELS : 1;
  if (expectedMagic === 2051) {
    const rows = view.getUint32(8);
    const columns = view.getUint32(12);
    if (rows !== IMAGE_SIZE || columns !== IMAGE_SIZE) {
      throw new DatasetError(`${fileName} holds ${rows}x${columns} images, expected 28x28.`);
    }
  }
  const expectedSize = headerSize + count * itemSize;
  if (bytes.byteLength !== expectedSize) {
    throw new DatasetError(
      `${fileName} is ${bytes.byteLength} bytes but its header announces ${count} items (${expectedSize} bytes): the file is truncated or corrupt.`,
    );
  }
  return { count, data: bytes.subarray(headerSize) };
}

function gunzipFile(filePath: string): Uint8Array {
  try {
    return gunzipSync(fs.readFileSync(filePath));
  } catch (error) {
    throw new DatasetError(`${filePath} could not be decompressed (${(error as Error).message}): the file is truncated or corrupt.`);
  }
}

function readIdxFile(folder: string, file: IdxFile): Uint8Array {
  const filePath = path.join(folder, file.name);
  const parsed = parseIdx(gunzipFile(filePath), file.magic, filePath);
  if (parsed.count !== file.count) {
    throw new DatasetError(`${filePath} holds ${parsed.count} items, expected ${file.count}.`);
  }
  return parsed.data;
}

/** Reads and checks the four files in `folder`. */
export function readFashionMnist(folder: string): FashionMnist {
  const trainImages = readIdxFile(folder, FILES.trainImages);
  const trainLabels = readIdxFile(folder, FILES.trainLabels);
  const testImages = readIdxFile(folder, FILES.testImages);
  const testLabels = readIdxFile(folder, FILES.testLabels);
  return {
    train: { images: trainImages, labels: trainLabels, count: FILES.trainImages.count },
    test: { images: testImages, labels: testLabels, count: FILES.testImages.count },
    source: folder,
  };
}

function hasAllFiles(folder: string): boolean {
  return DATASET_FILE_NAMES.every((name) => fs.existsSync(path.join(folder, name)));
}

export const DEBIAN_DATASET_DIR = '/usr/share/datasets/fashion-mnist';

/** Where to look, in order: FASHION_MNIST_DIR, DATA_DIR/fashion-mnist, Debian's package. */
export function candidateFolders(options: { fashionMnistDir?: string; dataDir: string }): string[] {
  const folders = [path.join(options.dataDir, 'fashion-mnist'), DEBIAN_DATASET_DIR];
  return options.fashionMnistDir ? [options.fashionMnistDir, ...folders] : folders;
}


export interface LoadOptions {
  fashionMnistDir?: string;
  dataDir: string;
  mirror: string;
  onDownloadProgress?: (progress: DownloadProgress) => void;
  fetchImpl?: typeof fetch;
}

/** Finds the data set (downloading it into DATA_DIR/fashion-mnist when no copy exists) and reads it. */
export async function loadFashionMnist(options: LoadOptions): Promise<FashionMnist> {
  if (options.fashionMnistDir && !hasAllFiles(options.fashionMnistDir)) {
    throw new DatasetError(
      `FASHION_MNIST_DIR is ${options.fashionMnistDir}, but it does not hold the four files ${DATASET_FILE_NAMES.join(', ')}.`,
    );
  }
  const found = candidateFolders(options).find(hasAllFiles);
  if (found) return readFashionMnist(found);
  const target = path.join(options.dataDir, 'fashion-mnist');
  await downloadFashionMnist(target, options);
  return readFashionMnist(target);
}

/** Downloads the four files into `folder`, checking each one's SHA-256 before it is moved into place. */
export async function downloadFashionMnist(folder: string, options: LoadOptions): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  for (const file of Object.values(FILES)) {
    const target = path.join(folder, file.name);
    if (fs.existsSync(target)) continue;
    const url = new URL(file.name, options.mirror.endsWith('/') ? options.mirror : `${options.mirror}/`).toString();
    const compressed = await fetchWithProgress(url, file.name, options);
    verifySha256(compressed, file);
    const temporary = `${target}.${process.pid}.partial`;
    fs.writeFileSync(temporary, compressed);
    fs.renameSync(temporary, target);
  }
}

function verifySha256(compressed: Uint8Array, file: IdxFile): void {
  let uncompressed: Uint8Array;
  try {
    uncompressed = gunzipSync(compressed);
  } catch (error) {
    throw new DatasetError(`The downloaded ${file.name} is not a valid gzip file (${(error as Error).message}).`);
  }
  const digest = createHash('sha256').update(uncompressed).digest('hex');
  if (digest !== file.sha256) {
    throw new DatasetError(`The downloaded ${file.name} has SHA-256 ${digest}, expected ${file.sha256}: the download is corrupt.`);
  }
}

async function fetchWithProgress(url: string, name: string, options: LoadOptions): Promise<Uint8Array> {
  const fetchImpl = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new DatasetError(
      `Fashion-MNIST was not found (looked in ${candidateFolders(options).join(', ')}) and downloading ${url} failed: ${(error as Error).message}. ` +
        'Install the Debian package dataset-fashion-mnist or set FASHION_MNIST_DIR.',
    );
  }
  if (!response.ok || !response.body) {
    throw new DatasetError(`Downloading ${url} failed with HTTP ${response.status}.`);
  }
  const total = Number(response.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    received += chunk.byteLength;
    options.onDownloadProgress?.({ file: name, receivedBytes: received, totalBytes: total });
  }
  return Buffer.concat(chunks);
}

/** A text progress bar for downloads, e.g. `[#####.....] 50% train-images-idx3-ubyte.gz`. */
export function formatDownloadProgress(progress: DownloadProgress, width = 20): string {
  if (!progress.totalBytes) return `${(progress.receivedBytes / 1e6).toFixed(1)} MB ${progress.file}`;
  const fraction = Math.min(1, progress.receivedBytes / progress.totalBytes);
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${progress.file}`;
}
