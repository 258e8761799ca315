import { decodeGrey } from '../../src/images/decode';
import type { GreyImage } from '../../src/images/grey-image';
import type { SupportedFormat } from '../../src/images/image-format';

/** A test picture decoded as `preprocessPhoto` decodes it, to test the later steps on. */
export async function decoded(bytes: Buffer, format: SupportedFormat = 'png'): Promise<GreyImage> {
  const image = await decodeGrey(bytes, format, 1e8, 512);
  if ('code' in image) throw new Error(`could not decode the test picture: ${image.code}`);
  return image;
}
