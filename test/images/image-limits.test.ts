import { checkDimensions, DEFAULT_IMAGE_LIMITS } from '../../src/images/image-limits';

const code = (width: number, height: number) => checkDimensions(width, height, DEFAULT_IMAGE_LIMITS)?.code ?? 'ok';

describe('checkDimensions', () => {
  it('accepts ordinary photo sizes, the 28x28 of the data set, and a long but plausible 20:1 banner', () => {
    expect(code(4032, 3024)).toBe('ok');
    expect(code(28, 28)).toBe('ok');
    expect(code(8, 8)).toBe('ok');
    expect(code(2000, 100)).toBe('ok');
  });

  it('refuses more pixels than the limit (a decompression bomb), with the numbers', () => {
    expect(checkDimensions(30000, 30000, DEFAULT_IMAGE_LIMITS)).toEqual({
      code: 'too-many-pixels',
      params: { width: 30000, height: 30000, pixels: 900_000_000, maxPixels: DEFAULT_IMAGE_LIMITS.maxPixels },
    });
  });

  it('refuses strips, calling 20000x1 a bad aspect rather than merely small', () => {
    expect(code(20000, 1)).toBe('bad-aspect');
    expect(code(1, 2100)).toBe('bad-aspect');
  });

  it('refuses pictures under 8 pixels a side', () => {
    expect(code(1, 1)).toBe('too-small');
    expect(code(7, 40)).toBe('too-small');
  });

  it('uses the limits it is given', () => {
    expect(checkDimensions(100, 100, { ...DEFAULT_IMAGE_LIMITS, maxPixels: 9999 })?.code).toBe('too-many-pixels');
  });
});
