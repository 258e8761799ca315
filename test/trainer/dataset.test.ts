import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DATASET_FILE_NAMES,
  DEBIAN_DATASET_DIR,
  DatasetError,
  candidateFolders,
  downloadFashionMnist,
  formatDownloadProgress,
  loadFashionMnist,
  parseIdx,
  readFashionMnist,
} from '../../src/trainer/dataset';

function idxHeader(magic: number, dims: number[]): Buffer {
  const header = Buffer.alloc(4 + dims.length * 4);
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + i * 4));
  return header;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-dataset-'));
}

describe('parseIdx', () => {
  it('reads a well-formed image file', () => {
    const pixels = Buffer.alloc(2 * 784, 7);
    const parsed = parseIdx(Buffer.concat([idxHeader(2051, [2, 28, 28]), pixels]), 2051, 'images');
    expect(parsed.count).toBe(2);
    expect(parsed.data.length).toBe(2 * 784);
    expect(parsed.data[0]).toBe(7);
  });

  it('rejects a wrong magic number', () => {
    const bytes = Buffer.concat([idxHeader(2049, [2, 28, 28]), Buffer.alloc(2 * 784)]);
    expect(() => parseIdx(bytes, 2051, 'images')).toThrow(/magic number 2049, expected 2051/);
  });

  it('rejects a truncated file', () => {
    const bytes = Buffer.concat([idxHeader(2051, [3, 28, 28]), Buffer.alloc(2 * 784)]);
    expect(() => parseIdx(bytes, 2051, 'images')).toThrow(/truncated or corrupt/);
  });

  it('rejects images that are not 28x28', () => {
    const bytes = Buffer.concat([idxHeader(2051, [1, 32, 32]), Buffer.alloc(32 * 32)]);
    expect(() => parseIdx(bytes, 2051, 'images')).toThrow(/32x32 images, expected 28x28/);
  });

  it('rejects a file shorter than its header', () => {
    expect(() => parseIdx(Buffer.alloc(5), 2049, 'labels')).toThrow(DatasetError);
  });
});

describe('the real Fashion-MNIST files', () => {
  const data = readFashionMnist(DEBIAN_DATASET_DIR);

  it('hold 60,000 training and 10,000 test images with labels 0-9', () => {
    expect(data.train.count).toBe(60000);
    expect(data.train.images.length).toBe(60000 * 784);
    expect(data.test.count).toBe(10000);
    expect(Math.max(...data.train.labels)).toBe(9);
    // The first test labels of Fashion-MNIST: ankle boot, pullover, trouser, trouser, shirt.
    expect(Array.from(data.test.labels.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]);
  });
});

describe('finding the data set', () => {
  it('looks in FASHION_MNIST_DIR, then DATA_DIR/fashion-mnist, then the Debian package', () => {
    expect(candidateFolders({ fashionMnistDir: '/x', dataDir: '/d' })).toEqual(['/x', '/d/fashion-mnist', DEBIAN_DATASET_DIR]);
    expect(candidateFolders({ dataDir: '/d' })).toEqual(['/d/fashion-mnist', DEBIAN_DATASET_DIR]);
  });

  it('says clearly when FASHION_MNIST_DIR lacks the files', async () => {
    await expect(loadFashionMnist({ fashionMnistDir: tempDir(), dataDir: tempDir(), mirror: 'http://127.0.0.1:9/' })).rejects.toThrow(
      /FASHION_MNIST_DIR is .* does not hold the four files/,
    );
  });

  it('reports a truncated gzip file as corrupt, not as a partial data set', async () => {
    const folder = tempDir();
    for (const name of DATASET_FILE_NAMES) fs.copyFileSync(path.join(DEBIAN_DATASET_DIR, name), path.join(folder, name));
    const labels = path.join(folder, 'train-labels-idx1-ubyte.gz');
    const bytes = fs.readFileSync(labels);
    fs.writeFileSync(labels, bytes.subarray(0, bytes.length - 100));
    await expect(loadFashionMnist({ fashionMnistDir: folder, dataDir: tempDir(), mirror: 'http://127.0.0.1:9/' })).rejects.toThrow(
      /truncated or corrupt/,
    );
  });
});

describe('downloading', () => {
  /** A fetch that serves the Debian copies, optionally corrupting one file. */
  function fakeMirror(corrupt?: string): typeof fetch {
    return (async (url: string | URL) => {
      const name = path.basename(new URL(String(url)).pathname);
      let body = fs.readFileSync(path.join(DEBIAN_DATASET_DIR, name));
      if (name === corrupt) body = gzipSync(Buffer.from('not the data'));
      return new Response(body, { headers: { 'content-length': String(body.length) } });
    }) as typeof fetch;
  }

  it('downloads the four files with progress, checks them and writes them in place', async () => {
    const folder = path.join(tempDir(), 'fashion-mnist');
    const progress: string[] = [];
    await downloadFashionMnist(folder, {
      dataDir: folder,
      mirror: 'http://mirror.invalid/',
      fetchImpl: fakeMirror(),
      onDownloadProgress: (p) => progress.push(formatDownloadProgress(p)),
    });
    expect(fs.readdirSync(folder).sort()).toEqual([...DATASET_FILE_NAMES].sort());
    expect(progress.at(-1)).toMatch(/100%/);
    expect(readFashionMnist(folder).test.count).toBe(10000);
  });

  it('refuses a download whose SHA-256 is wrong and leaves no file behind', async () => {
    const folder = path.join(tempDir(), 'fashion-mnist');
    await expect(
      downloadFashionMnist(folder, { dataDir: folder, mirror: 'http://mirror.invalid/', fetchImpl: fakeMirror('t10k-labels-idx1-ubyte.gz') }),
    ).rejects.toThrow(/SHA-256 .* expected .* the download is corrupt/);
    expect(fs.existsSync(path.join(folder, 't10k-labels-idx1-ubyte.gz'))).toBe(false);
  });

  it('explains what to do when no copy exists and the mirror cannot be reached', async () => {
    const failing = (async () => {
      throw new Error('getaddrinfo ENOTFOUND');
    }) as unknown as typeof fetch;
    await expect(
      downloadFashionMnist(path.join(tempDir(), 'f'), { dataDir: tempDir(), mirror: 'http://mirror.invalid/', fetchImpl: failing }),
    ).rejects.toThrow(/dataset-fashion-mnist or set FASHION_MNIST_DIR/);
  });
});
