/**
 * Why a picture was refused. The bot picks the sentence (in the user's language) from `code`
 * and fills it with `params`; `cause` is the decoder's own words, for the log only.
 */
export const IMAGE_ERROR_CODES = [
  'too-large',
  'not-an-image',
  'svg',
  'too-many-pixels',
  'too-small',
  'bad-aspect',
  'corrupt',
] as const;

export type ImageErrorCode = (typeof IMAGE_ERROR_CODES)[number];

export interface ImageError {
  code: ImageErrorCode;
  params: Record<string, string | number>;
  cause?: string;
}

export function imageError(code: ImageErrorCode, params: Record<string, string | number> = {}, cause?: string): ImageError {
  return cause === undefined ? { code, params } : { code, params, cause };
}
