import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family name charts ask for (see FONT_FAMILY in theme.ts). */
export const HANGUL_FONT = 'Pretendard';

const WEIGHTS = ['Regular', 'Bold'] as const;

let registered = false;

/**
 * Registers Pretendard with the canvas once. Without a font that has Hangul, Korean labels are
 * drawn as empty boxes. Throws if the font files are missing: a chart of boxes helps nobody.
 */
export function registerHangulFont(): void {
  if (registered) return;
  const dir = path.join(path.dirname(require.resolve('pretendard/package.json')), 'dist/public/static');
  for (const weight of WEIGHTS) {
    const file = path.join(dir, `Pretendard-${weight}.otf`);
    if (GlobalFonts.registerFromPath(file, HANGUL_FONT) === null) {
      throw new Error(`Could not load the chart font ${file}`);
    }
  }
  registered = true;
}
