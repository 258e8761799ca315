import { imageError, type ImageError } from './image-error';

/** What Discord tells us about an attachment before we download it. */
export interface AttachmentMeta {
  name: string;
  size: number;
  contentType: string | null;
}

const SVG_NAME = /\.svgz?$/i;

function isDeclaredSvg(meta: AttachmentMeta): boolean {
  return SVG_NAME.test(meta.name) || (meta.contentType?.toLowerCase().startsWith('image/svg') ?? false);
}

function isDeclaredNonImage(meta: AttachmentMeta): boolean {
  return meta.contentType !== null && !meta.contentType.toLowerCase().startsWith('image/');
}

/**
 * Refuses an attachment before downloading it: too big, declared as something other than an
 * image, or SVG. Passing here proves nothing about the bytes; `preprocessPhoto` sniffs them.
 */
export function checkAttachment(meta: AttachmentMeta, maxBytes: number): { ok: true } | { ok: false; error: ImageError } {
  if (meta.size > maxBytes) {
    return { ok: false, error: imageError('too-large', { name: meta.name, bytes: meta.size, maxBytes }) };
  }
  if (isDeclaredSvg(meta)) {
    return { ok: false, error: imageError('svg', { name: meta.name }) };
  }
  if (isDeclaredNonImage(meta)) {
    return { ok: false, error: imageError('not-an-image', { name: meta.name, contentType: meta.contentType ?? '' }) };
  }
  return { ok: true };
}
