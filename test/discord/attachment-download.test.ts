import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttachmentTooLargeError } from '../../src/commands/command';
import { AttachmentDownloadError, downloadAttachment } from '../../src/discord/attachment-download';

/** A CDN on loopback: `/file/N` serves N bytes, `/liar/N` too but without a length header. */
let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const [, kind, size] = (request.url ?? '').split('/');
    if (kind === 'missing') {
      response.writeHead(404).end();
      return;
    }
    const bytes = Buffer.alloc(Number(size), 7);
    if (kind === 'liar') {
      response.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let offset = 0; offset < bytes.length; offset += 1024) response.write(bytes.subarray(offset, offset + 1024));
      response.end();
      return;
    }
    response.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('downloading an attachment', () => {
  it('downloads a file within the limit', async () => {
    const bytes = await downloadAttachment(`${base}/file/3000`, 'shirt.png', 3000, 4096);
    expect(bytes).toHaveLength(3000);
  });

  it('refuses a file whose declared size is over the limit without downloading it', async () => {
    requests.length = 0;
    await expect(downloadAttachment(`${base}/file/9000`, 'big.png', 9000, 4096)).rejects.toBeInstanceOf(AttachmentTooLargeError);
    expect(requests).toEqual([]);
  });

  it('stops a download that grows past the limit although the size was declared small', async () => {
    const attempt = downloadAttachment(`${base}/liar/20000`, 'liar.png', 100, 4096);
    await expect(attempt).rejects.toMatchObject({ name: 'AttachmentTooLargeError', maxBytes: 4096 });
  });

  it('says when the CDN has no such file', async () => {
    await expect(downloadAttachment(`${base}/missing/1`, 'gone.png', 1, 4096)).rejects.toBeInstanceOf(AttachmentDownloadError);
  });
});
