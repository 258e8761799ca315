/**
 * A real Redis for tests: Debian's redis-server on a free loopback port, with nothing written to
 * disk (`--save "" --appendonly no`). It can be stopped and started again on the same port, as a
 * Redis that goes down and comes back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';

const REDIS_SERVER = '/usr/bin/redis-server';
const READY = /Ready to accept connections/;
const START_DEADLINE_MS = 60_000;

/** A port the kernel has just handed out on 127.0.0.1, and that nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('the kernel gave no port');
  return address.port;
}

/** Sends one inline command and resolves with Redis' first reply line ("+PONG"). */
export function ask(port: number, command: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write(`${command}\r\n`));
    const lines = readline.createInterface({ input: socket });
    // readline passes the socket's errors on; a refused connection rejects once.
    lines.once('error', reject);
    lines.once('line', (line) => {
      socket.destroy();
      resolve(line);
    });
  });
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private log = '';

  private constructor(readonly port: number) {}

  /** A running Redis on a free port. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Everything redis-server wrote, for a failing test's message. */
  output(): string {
    return this.log;
  }

  /** Starts it (again) on its port and resolves once it answers PING. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is already running');
    const child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`redis-server did not say it was ready within ${START_DEADLINE_MS} ms:\n${this.log}`)), START_DEADLINE_MS);
      const settle = (error?: Error) => {
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve();
      };
      child.once('error', (error) => settle(error));
      child.once('exit', (code, signal) => {
        this.child = null;
        settle(new Error(`redis-server exited (${signal ?? `code ${code}`}) before it was ready:\n${this.log}`));
      });
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          this.log += chunk.toString();
          if (READY.test(this.log)) settle();
        });
      }
    });
    const pong = await ask(this.port, 'PING');
    if (pong !== '+PONG') throw new Error(`redis-server answered PING with ${pong}`);
  }

  /** Stops it and resolves once the process is gone (its port is free again). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.log = '';
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.child = null;
  }
}
