/**
 * The real bot as a child process (`npm start`'s entry, src/main.ts, with a Discord token)
 * connected to a loopback fake Discord that lives in the calling process, so that the bot can be
 * killed and started again while the fake, its messages and its interactions stay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FakeDiscord } from './fake-discord';

const REPO_ROOT = path.join(__dirname, '..', '..');
const CONNECTED = /connected to Discord as /;

export interface BotProcessOptions {
  fake: FakeDiscord;
  dataDir: string;
  /** More environment (TRAIN_EXAMPLES, TRAINER_BACKEND, TRAINER_HOLD_AFTER_EPOCH, ...). */
  env?: Record<string, string>;
  /** How long to wait for "connected to Discord" (only ends a start that hangs). */
  startTimeoutMs?: number;
}

export interface BotProcess {
  readonly pid: number;
  /** Everything the bot wrote (its log goes to standard error). */
  output(): string;
  /** The bot's processes below it (the trainer and its helpers), as far as they run now. */
  descendants(): number[];
  /** Resolves with the exit once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Child processes of `pid`, in all of its threads, and theirs. */
export function descendantsOf(pid: number): number[] {
  let threads: string[];
  try {
    threads = fs.readdirSync(`/proc/${pid}/task`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const children = threads.flatMap((thread) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  });
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

/** Kills each process of `pids` that still runs (a bot's trainers, left when the bot was killed). */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** Resident memory of a process in MB, from /proc (null once it is gone). */
export function rssMegabytes(pid: number): number | null {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Starts the bot and resolves once it says it is connected to the fake Discord (commands registered). */
export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const { fake } = options;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: `${fake.url}/api`,
      DISCORD_GUILD_ID: fake.guildId,
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const connected = new Promise<void>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 3 * 60_000;
    const timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for the bot to connect:\n${output}`)), timeoutMs);
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (CONNECTED.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited (${signal ?? `code ${code}`}) before it connected:\n${output}`));
    });
  });
  await connected;
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bot process has no pid');
  return {
    pid,
    output: () => output,
    descendants: () => descendantsOf(pid),
    exited,
    kill: (signal) => child.kill(signal),
  };
}
