import type { Attachment } from 'discord.js';
import { AttachmentTooLargeError, type AttachmentInput } from '../commands/command';

export class AttachmentDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AttachmentDownloadError';
  }
}

const DOWNLOAD_TIMEOUT_MS = 30_000;

/** Reads a response body, giving up as soon as it grows past `maxBytes` (declared sizes can lie). */
async function readCapped(response: Response, fileName: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw new AttachmentTooLargeError(fileName, declared, maxBytes);
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AttachmentTooLargeError(fileName, total, maxBytes);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

/** Downloads a file from Discord's CDN, refusing it before the download when its declared size is too big. */
export async function downloadAttachment(url: string, fileName: string, declaredBytes: number, maxBytes: number): Promise<Uint8Array> {
  if (declaredBytes > maxBytes) throw new AttachmentTooLargeError(fileName, declaredBytes, maxBytes);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new AttachmentDownloadError(`could not download ${fileName}`, { cause: error });
  }
  if (!response.ok) throw new AttachmentDownloadError(`could not download ${fileName}: HTTP ${response.status}`);
  return readCapped(response, fileName, maxBytes);
}

/** A Discord attachment as commands see it: its declared facts, and its bytes on demand. */
export function attachmentInput(attachment: Attachment, maxBytes: number): AttachmentInput {
  return {
    name: attachment.name,
    size: attachment.size,
    contentType: attachment.contentType ?? null,
    fetch: () => downloadAttachment(attachment.url, attachment.name, attachment.size, maxBytes),
  };
}
