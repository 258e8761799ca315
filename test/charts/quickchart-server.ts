import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeQuickChart {
  url: string;
  /** The POST requests received: path and parsed JSON body. */
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** A stand-in QuickChart on 127.0.0.1 that answers every request with `answer`. */
export async function startFakeQuickChart(answer: (res: http.ServerResponse) => void): Promise<FakeQuickChart> {
  const requests: FakeQuickChart['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST') requests.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
