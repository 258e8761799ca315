import sharp from 'sharp';
import { sniffFormat } from '../../src/images/image-format';
import { SVG_PICTURE, TEXT_FILE } from '../support/photos';

const pixel = () => sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } });

describe('sniffFormat', () => {
  it.each(['png', 'jpeg', 'webp', 'gif'] as const)('recognises real %s bytes', async (format) => {
    expect(sniffFormat(await pixel().toFormat(format).toBuffer())).toBe(format);
  });

  it('recognises SVG, with or without an XML prolog, byte-order mark or leading space', () => {
    expect(sniffFormat(SVG_PICTURE)).toBe('svg');
    expect(sniffFormat(Buffer.from('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('svg');
    expect(sniffFormat(Buffer.from('<!-- drawn by hand -->\n<svg viewBox="0 0 1 1"/>'))).toBe('svg');
  });

  it('recognises nothing in text, HTML, empty bytes or formats we do not decode', async () => {
    expect(sniffFormat(TEXT_FILE)).toBeNull();
    expect(sniffFormat(Buffer.from('<html><body>not an image</body></html>'))).toBeNull();
    expect(sniffFormat(new Uint8Array(0))).toBeNull();
    expect(sniffFormat(await pixel().tiff().toBuffer())).toBeNull();
    expect(sniffFormat(await pixel().avif().toBuffer())).toBeNull();
  });

  it('is not fooled by a format signature cut short', () => {
    expect(sniffFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(sniffFormat(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
  });
});
