import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { World } from './world';

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

const Close = {
  DecodeError: 4002,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidApiVersion: 4012,
} as const;

export const GATEWAY_PATH = '/gateway';

interface Session {
  socket: WebSocket;
  id: string;
  sequence: number;
}

/**
 * The gateway: HELLO, then IDENTIFY answered with READY (the guild unavailable) and GUILD_CREATE,
 * heartbeats acknowledged, RESUME refused with INVALID_SESSION (so discord.js identifies again),
 * and dispatches (INTERACTION_CREATE, THREAD_CREATE) sent to the latest identified session.
 */
export class Gateway {
  private readonly server: WebSocketServer;
  private session: Session | undefined;

  constructor(
    httpServer: Server,
    private readonly world: World,
    private readonly url: () => string,
  ) {
    this.server = new WebSocketServer({ server: httpServer, path: GATEWAY_PATH });
    this.server.on('connection', (socket, request) => this.accept(socket, request));
  }

  get connected(): boolean {
    return this.session?.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a dispatch to the bot; throws if no bot is connected (the test forgot to log in). */
  async dispatch(event: string, data: Record<string, unknown>): Promise<void> {
    const session = this.session;
    if (!session || session.socket.readyState !== WebSocket.OPEN) {
      throw new Error(`fake-discord: cannot send ${event}, no bot is connected to the gateway`);
    }
    await sendConfirmed(session.socket, { op: Op.Dispatch, t: event, s: ++session.sequence, d: data });
    this.world.changed();
  }

  /** Like `dispatch`, but silent when no bot listens (events a bot may or may not care about). */
  notify(event: string, data: Record<string, unknown>): void {
    if (this.session) sendDispatch(this.session, event, data);
  }

  /**
   * Closes every connection with 4004, a code discord.js does not reconnect after, so a test that
   * stops the fake before destroying its client does not leave a reconnect loop running.
   */
  async close(): Promise<void> {
    for (const socket of this.server.clients) socket.close(Close.AuthenticationFailed, 'Fake Discord stopped');
    await Promise.all([...this.server.clients].map((socket) => closed(socket)));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'ws://fake-discord').searchParams;
    if (query.get('v') !== '10') return socket.close(Close.InvalidApiVersion, 'Invalid API version');
    if (query.get('encoding') !== 'json') return socket.close(Close.DecodeError, 'Only JSON encoding is served');
    socket.on('message', (raw) => this.receive(socket, raw));
    send(socket, { op: Op.Hello, d: { heartbeat_interval: this.world.options.heartbeatIntervalMs } });
  }

  private receive(socket: WebSocket, raw: RawData): void {
    const payload = parse(raw);
    if (!payload) return socket.close(Close.DecodeError, 'Error while decoding payload');
    switch (payload.op) {
      case Op.Heartbeat:
        this.world.stats.heartbeats += 1;
        send(socket, { op: Op.HeartbeatAck });
        this.world.changed();
        return;
      case Op.Identify:
        return this.identify(socket, payload.d as { token?: string; intents?: number });
      case Op.Resume:
        send(socket, { op: Op.InvalidSession, d: false });
        return;
      default:
        return;
    }
  }

  private identify(socket: WebSocket, data: { token?: string; intents?: number }): void {
    if (data.token !== this.world.token) return socket.close(Close.AuthenticationFailed, 'Authentication failed');
    if (this.session?.socket === socket) return socket.close(Close.AlreadyAuthenticated, 'Already authenticated');
    const { guild } = this.world;
    const session = { socket, id: randomUUID().replaceAll('-', ''), sequence: 0 };
    this.session = session;
    this.world.stats.identifies.push({ intents: data.intents ?? 0 });
    sendDispatch(session, 'READY', {
      v: 10,
      user: guild.botUserJson(),
      guilds: [{ id: guild.id, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: this.url(),
      shard: [0, 1],
      application: { id: guild.applicationId, flags: 0 },
    });
    sendDispatch(session, 'GUILD_CREATE', guild.guildCreateJson());
    this.world.changed();
  }
}

function parse(raw: RawData): { op: number; d?: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch (error) {
    // Not JSON: the caller closes with 4002, as Discord does.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  return typeof value === 'object' && value !== null && 'op' in value ? (value as { op: number }) : undefined;
}

/** Fire and forget: `ws` drops a frame for a closed socket instead of throwing. */
function send(socket: WebSocket, payload: Record<string, unknown>): void {
  socket.send(JSON.stringify(payload));
}

function sendDispatch(session: Session, event: string, data: Record<string, unknown>): void {
  send(session.socket, { op: Op.Dispatch, t: event, s: ++session.sequence, d: data });
}

function sendConfirmed(socket: WebSocket, payload: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => socket.send(JSON.stringify(payload), (error) => (error ? reject(error) : resolve())));
}

function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
