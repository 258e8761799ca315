import { checkAttachment } from '../../src/images/attachment-check';

const MAX_BYTES = 8 * 1024 * 1024;

describe('checkAttachment', () => {
  it('accepts a photo of reasonable size declared as an image, or with no declared type', () => {
    expect(checkAttachment({ name: 'shirt.jpg', size: 2_000_000, contentType: 'image/jpeg' }, MAX_BYTES)).toEqual({ ok: true });
    expect(checkAttachment({ name: 'shirt', size: 2_000_000, contentType: null }, MAX_BYTES)).toEqual({ ok: true });
  });

  it('refuses a file over the cap, saying how big it is and what the cap is', () => {
    expect(checkAttachment({ name: 'huge.png', size: MAX_BYTES + 1, contentType: 'image/png' }, MAX_BYTES)).toEqual({
      ok: false,
      error: { code: 'too-large', params: { name: 'huge.png', bytes: MAX_BYTES + 1, maxBytes: MAX_BYTES } },
    });
  });

  it('accepts a file exactly at the cap', () => {
    expect(checkAttachment({ name: 'edge.png', size: MAX_BYTES, contentType: 'image/png' }, MAX_BYTES).ok).toBe(true);
  });

  it('refuses SVG by name or by declared type', () => {
    expect(checkAttachment({ name: 'logo.SVG', size: 900, contentType: null }, MAX_BYTES)).toMatchObject({ ok: false, error: { code: 'svg' } });
    expect(checkAttachment({ name: 'logo', size: 900, contentType: 'image/svg+xml' }, MAX_BYTES)).toMatchObject({ ok: false, error: { code: 'svg' } });
  });

  it('refuses a file declared as something other than an image, whatever its name', () => {
    expect(checkAttachment({ name: 'shirt.png', size: 900, contentType: 'text/plain; charset=utf-8' }, MAX_BYTES)).toEqual({
      ok: false,
      error: { code: 'not-an-image', params: { name: 'shirt.png', contentType: 'text/plain; charset=utf-8' } },
    });
  });
});
