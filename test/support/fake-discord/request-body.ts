import type { IncomingMessage } from 'node:http';
import { discordErrors } from './errors';

/** A file a client uploaded (multipart `files[n]`), or one a test hands to the fake. */
export interface FakeFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface UploadedFile extends FakeFile {
  /** The n of the `files[n]` field; attachments in the JSON refer to it by this id. */
  index: number;
}

export interface RequestBody {
  json: unknown;
  files: UploadedFile[];
}

const FILE_FIELD = /^files\[(\d+)\]$/;
const MAX_FILES = 10;
const JSON_ALLOWANCE_BYTES = 1024 * 1024;

/**
 * Reads a request body the way Discord accepts it: JSON, or multipart/form-data with the JSON in
 * `payload_json` and the uploads in `files[n]`.
 */
export async function readRequestBody(request: IncomingMessage, maxFileBytes: number): Promise<RequestBody> {
  const raw = await readRaw(request, maxFileBytes * MAX_FILES + JSON_ALLOWANCE_BYTES);
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return { json: raw.length === 0 ? undefined : parseJson(raw.toString('utf8')), files: [] };
  }
  const body = await parseMultipart(raw, contentType);
  if (body.files.some((file) => file.bytes.length > maxFileBytes)) throw discordErrors.entityTooLarge();
  return body;
}

async function readRaw(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw discordErrors.entityTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw Object.assign(discordErrors.invalidJson(), { cause });
  }
}

/** Node's fetch `Response` already knows how to split a multipart body; no parser of our own. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<RequestBody> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const entries: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, field) => entries.push([field, value]));
  let json: unknown = undefined;
  const files: UploadedFile[] = [];
  for (const [field, value] of entries) {
    const fileIndex = FILE_FIELD.exec(field);
    if (fileIndex && typeof value !== 'string') {
      files.push({
        index: Number(fileIndex[1]),
        name: value.name,
        contentType: value.type || 'application/octet-stream',
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    } else if (field === 'payload_json' && typeof value === 'string') {
      json = parseJson(value);
    }
  }
  return { json, files };
}
