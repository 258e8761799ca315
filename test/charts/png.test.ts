import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { isPng, pngSize } from '../../src/charts/png';

describe('png', () => {
  it('reads width and height from a real PNG', async () => {
    const png = await sharp({ create: { width: 13, height: 7, channels: 3, background: '#ffffff' } }).png().toBuffer();
    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual({ width: 13, height: 7 });
  });

  it('rejects other bytes, including a JPEG', async () => {
    const jpeg = await createCanvas(4, 4).encode('jpeg');
    expect(isPng(jpeg)).toBe(false);
    expect(isPng(Buffer.from('<html>error</html>'))).toBe(false);
    expect(() => pngSize(jpeg)).toThrow(/Not a PNG/);
  });
});
