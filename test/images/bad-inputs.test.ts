import sharp from 'sharp';
import { checkAttachment } from '../../src/images/attachment-check';
import { preprocessPhoto } from '../../src/images/preprocess';
import type { ImageErrorCode } from '../../src/images/image-error';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { decompressionBombPng, photoOf, pngWithUndecodablePixels, randomStyle, solidPng, SVG_PICTURE, testItem, TEXT_FILE } from '../support/photos';

const { test: testSplit } = readFashionMnist(DEBIAN_DATASET_DIR);

async function expectRefused(bytes: Uint8Array, code: ImageErrorCode): Promise<void> {
  await expect(preprocessPhoto(bytes)).resolves.toMatchObject({ ok: false, error: { code } });
}

describe('preprocessPhoto refuses bad input with a clear code, and never throws', () => {
  it('refuses a text file named shirt.png and declared as a PNG, once its bytes are read', async () => {
    expect(checkAttachment({ name: 'shirt.png', size: TEXT_FILE.length, contentType: 'image/png' }, 8_000_000)).toEqual({ ok: true });
    await expectRefused(TEXT_FILE, 'not-an-image');
  });

  it('refuses empty bytes', async () => {
    await expect(preprocessPhoto(new Uint8Array(0))).resolves.toEqual({ ok: false, error: { code: 'not-an-image', params: { bytes: 0 } } });
  });

  it('refuses SVG, even though sharp could draw it', async () => {
    await expectRefused(SVG_PICTURE, 'svg');
  });

  it('refuses formats other than PNG, JPEG, WebP and GIF', async () => {
    const tiff = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).tiff().toBuffer();
    await expectRefused(tiff, 'not-an-image');
  });

  it('refuses a 1x1 PNG as too small, with its size', async () => {
    await expect(preprocessPhoto(await solidPng(1, 1))).resolves.toEqual({
      ok: false,
      error: { code: 'too-small', params: { width: 1, height: 1, minSide: 8 } },
    });
  });

  it('refuses a 20000x1 PNG as a bad aspect ratio', async () => {
    await expectRefused(await solidPng(20000, 1), 'bad-aspect');
  });

  it('refuses a decompression bomb (a 110 KB PNG of 30000x30000 pixels) from its header, without decoding it', async () => {
    const bomb = decompressionBombPng(30000);
    expect(bomb.length).toBeLessThan(200_000);
    const refused = { ok: false, error: { code: 'too-many-pixels', params: { width: 30000, height: 30000, pixels: 900_000_000, maxPixels: 40_000_000 } } };
    await expect(preprocessPhoto(bomb)).resolves.toEqual(refused);
    // The same header over pixel data no decoder could read gets the same answer, not "corrupt":
    // the verdict comes from the header, before any pixel is decoded.
    await expect(preprocessPhoto(pngWithUndecodablePixels(30000))).resolves.toEqual(refused);
    await expect(preprocessPhoto(pngWithUndecodablePixels(100))).resolves.toMatchObject({ ok: false, error: { code: 'corrupt' } });
  });

  it('refuses, by the configured limit, a picture that is merely larger than allowed', async () => {
    const photo = await photoOf(testItem(testSplit, 0).pixels, randomStyle(1), 'png');
    await expect(preprocessPhoto(photo, { maxPixels: 10_000 })).resolves.toMatchObject({ ok: false, error: { code: 'too-many-pixels' } });
  });

  it('refuses a truncated JPEG as corrupt, keeping the decoder message for the log', async () => {
    const photo = await photoOf(testItem(testSplit, 0).pixels, randomStyle(2), 'jpeg');
    const result = await preprocessPhoto(photo.subarray(0, Math.floor(photo.length / 2)));
    expect(result).toMatchObject({ ok: false, error: { code: 'corrupt', params: { format: 'jpeg' } } });
    expect(!result.ok && result.error.cause).toMatch(/premature end|truncated/i);
  });

  it.each(['png', 'webp', 'gif'] as const)('refuses a truncated %s as corrupt', async (format) => {
    const photo = await photoOf(testItem(testSplit, 0).pixels, randomStyle(3), format);
    await expectRefused(photo.subarray(0, Math.floor(photo.length / 2)), 'corrupt');
  });

  it('refuses a file with a real signature followed by garbage as corrupt', async () => {
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);
    await expectRefused(garbage, 'corrupt');
  });
});
