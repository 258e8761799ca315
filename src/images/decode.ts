import sharp from 'sharp';
import type { GreyImage } from './grey-image';
import { imageError, type ImageError } from './image-error';
import { SUPPORTED_FORMATS, type SupportedFormat } from './image-format';

export interface Header {
  format: SupportedFormat;
  width: number;
  height: number;
}

function isSupported(format: string | undefined): format is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly string[]).includes(format ?? '');
}

function decoderMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads only the header: the size the file declares (for an animated GIF, one frame's).
 * No pixel limit here, because nothing is decoded yet; the caller checks the size first.
 */
export async function readHeader(bytes: Uint8Array, sniffed: SupportedFormat): Promise<Header | ImageError> {
  try {
    const metadata = await sharp(bytes, { limitInputPixels: false, animated: false }).metadata();
    if (!isSupported(metadata.format)) return imageError('not-an-image', { format: metadata.format ?? 'unknown' });
    return { format: metadata.format, width: metadata.width, height: metadata.height };
  } catch (error) {
    return imageError('corrupt', { format: sniffed }, decoderMessage(error));
  }
}

/**
 * Decodes the first frame, turned upright as its EXIF orientation says, transparency laid on
 * white, in grey, shrunk so its longer side is at most `workingSize`. sharp streams the
 * full-size picture through this and hands back only the small one.
 */
export async function decodeGrey(bytes: Uint8Array, format: SupportedFormat, maxPixels: number, workingSize: number): Promise<GreyImage | ImageError> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning', animated: false })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .resize({ width: workingSize, height: workingSize, fit: 'inside', withoutEnlargement: true })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    const message = decoderMessage(error);
    if (/pixel limit/i.test(message)) return imageError('too-many-pixels', { maxPixels }, message);
    return imageError('corrupt', { format }, message);
  }
}
