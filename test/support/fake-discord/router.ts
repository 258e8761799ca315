import type { RequestBody } from './request-body';

/** What a route handler answers; the server adds Discord's headers and writes it. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request body: JSON, or `payload_json` and the files of a multipart upload. */
  body: RequestBody;
}

export type RouteHandler = (context: RouteContext) => Reply | Promise<Reply>;

/** `bot`: needs `Authorization: Bot <token>`; `none`: interaction and webhook routes. */
export type RouteAuth = 'bot' | 'none';

interface Route {
  method: string;
  segments: string[];
  auth: RouteAuth;
  handler: RouteHandler;
}

export const json = (body: unknown, headers?: Record<string, string>, status = 200): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

export const noContent = (headers?: Record<string, string>): Reply => ({ status: 204, ...(headers ? { headers } : {}) });

/**
 * Matches `METHOD /path` against patterns like `/channels/:channel/messages/:message`. The first
 * route added wins, so literal routes (`/messages/pins`) are added before parameter routes.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, auth: RouteAuth, handler: RouteHandler): void {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), auth, handler });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { route, params };
    }
    return undefined;
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if (segment.startsWith(':')) params[segment.slice(1)] = part;
    else if (segment !== part) return undefined;
  }
  return params;
}
