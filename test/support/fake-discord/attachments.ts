import { readImageSize } from './image-size';
import type { FakeFile } from './request-body';
import { newSnowflake } from './snowflake';

/** A file the fake holds, with the URL its own HTTP server serves it at (as Discord's CDN would). */
export interface StoredAttachment extends FakeFile {
  id: string;
  url: string;
  description?: string;
}

/** Discord's attachment object for a stored file. */
export function attachmentJson(attachment: StoredAttachment): Record<string, unknown> {
  const size = readImageSize(attachment.bytes);
  return {
    id: attachment.id,
    filename: attachment.name,
    size: attachment.bytes.length,
    url: attachment.url,
    proxy_url: attachment.url,
    content_type: attachment.contentType,
    ...(attachment.description === undefined ? {} : { description: attachment.description }),
    ...(size === undefined ? {} : { width: size.width, height: size.height }),
  };
}

export class AttachmentStore {
  private readonly byId = new Map<string, StoredAttachment>();

  constructor(private readonly baseUrl: () => string) {}

  add(file: FakeFile, description?: string): StoredAttachment {
    const id = newSnowflake();
    const url = `${this.baseUrl()}/attachments/${id}/${encodeURIComponent(file.name)}`;
    const stored: StoredAttachment = { ...file, id, url, ...(description === undefined ? {} : { description }) };
    this.byId.set(id, stored);
    return stored;
  }

  get(id: string): StoredAttachment | undefined {
    return this.byId.get(id);
  }
}
