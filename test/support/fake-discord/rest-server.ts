import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordHttpError, discordErrors } from './errors';
import { readRequestBody } from './request-body';
import type { Reply, Router } from './router';
import type { World } from './world';

/** discord.js sends `${rest.api}/v10/...`; with `rest.api = ${fake.url}/api` that is `/api/v10/...`. */
const API_PATH = /^\/api(?:\/v\d+)?(\/.*)$/;
const ATTACHMENT_PATH = /^\/attachments\/(\d+)\/[^/]+$/;

/**
 * The HTTP side of the fake: Discord's REST routes under `/api`, and the bytes of every attachment
 * under `/attachments/{id}/{name}` (Discord's CDN).
 */
export function createRequestListener(world: World, router: Router) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void serve(world, router, request, response);
  };
}

async function serve(world: World, router: Router, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake-discord');
  const method = request.method ?? 'GET';
  const attachment = ATTACHMENT_PATH.exec(url.pathname);
  if (method === 'GET' && attachment) {
    serveAttachment(world, attachment[1], response);
    return;
  }
  const path = API_PATH.exec(url.pathname)?.[1] ?? url.pathname;
  world.stats.requests += 1;
  const reply = await answer(world, router, request, method, path, url.searchParams);
  if (reply.status >= 400) recordRejection(world, method, path, reply);
  write(response, reply);
  world.changed();
}

async function answer(
  world: World,
  router: Router,
  request: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
): Promise<Reply> {
  try {
    const matched = router.match(method, path);
    if (!matched) throw discordErrors.notFound();
    if (matched.route.auth === 'bot' && request.headers.authorization !== `Bot ${world.token}`) {
      throw discordErrors.unauthorized();
    }
    const body = await readRequestBody(request, world.options.maxUploadBytes);
    return await matched.route.handler({ params: matched.params, query, body });
  } catch (error) {
    if (error instanceof DiscordHttpError) return { status: error.status, body: error.body() };
    // A bug in the fake itself: answer like Discord's 500 and say why on stderr.
    process.stderr.write(`fake-discord: ${method} ${path} failed: ${String((error as Error).stack ?? error)}\n`);
    return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
  }
}

function recordRejection(world: World, method: string, path: string, reply: Reply): void {
  const body = (reply.body ?? {}) as { code?: number; message?: string };
  world.stats.rejections.push({
    method,
    path,
    status: reply.status,
    code: body.code ?? 0,
    message: body.message ?? '',
  });
}

function write(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json';
  response.writeHead(reply.status, headers).end(text);
}

function serveAttachment(world: World, id: string, response: ServerResponse): void {
  const stored = world.attachments.get(id);
  if (!stored) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  response
    .writeHead(200, { 'content-type': stored.contentType, 'content-length': stored.bytes.length.toString() })
    .end(stored.bytes);
}
