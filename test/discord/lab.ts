/**
 * The real bot (createApp + startDiscordBot, with the real trainer process) connected to the
 * loopback fake Discord, for the end-to-end tests of this folder. One lab per test file. With
 * `redisWorkers`, the lab also runs a real redis-server and that many real worker processes
 * (`npm run worker`), and the bot's queue hands its jobs to them through Redis.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCommands } from '../../commands';
import { createApp, type App } from '../../src/app';
import { RemoteTrainers } from '../../src/jobs/remote-trainers';
import type { Logger } from '../../src/logger';
import { parseConfig } from '../../src/config';
import { startDiscordBot, type DiscordBot, type DiscordBotOptions } from '../../src/discord/bot';
import { translator, type MessageKey, type Translate } from '../../src/i18n/translate';
import { FakeDiscord, type FakeDiscordOptions, type FakeInteraction, type FakeUser, type RecordedMessage } from '../support/fake-discord';
import { RedisServer } from '../support/redis-server';
import { waitUntil } from '../support/wait-until';
import { startWorker, type WorkerProcess } from '../support/worker-process';

export const en = translator('en');
export const ko = translator('ko');

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const TEACHER_ROLE_ID = '300000000000000001';

/** Students and a teacher; ids are snowflakes like Discord's. */
export const users = {
  mina: { id: '212345678901234567', username: 'mina', locale: 'ko' },
  alex: { id: '212345678901234568', username: 'alex', locale: 'en-US' },
  sam: { id: '212345678901234569', username: 'sam', locale: 'en-GB' },
  teacher: { id: '212345678901234570', username: 'ms_kim', locale: 'en-US', roles: [TEACHER_ROLE_ID] },
} satisfies Record<string, FakeUser>;

export interface LabOptions {
  fake?: FakeDiscordOptions;
  bot?: DiscordBotOptions;
  /** Extra environment for the bot and the trainer (both read the same variables). */
  env?: Record<string, string>;
  /** Runs after the app exists and before the bot starts (e.g. to leave a job in the queue). */
  beforeStart?: (app: App, fake: FakeDiscord) => void;
  /** The clock of the bot's stores and rules (a test that moves time on, such as the daily quota's). */
  now?: () => number;
  /** DATA_DIR, when the test brings its own (it is emptied, not removed, at the end); a fresh temporary folder by default. */
  dataDir?: string;
  /**
   * Trains on this many worker processes behind a real Redis instead of the bot's own trainers:
   * each worker has TRAINERS=1, its own DATA_DIR below the lab's and the rest of the lab's
   * environment (TRAIN_EXAMPLES, TRAINER_BACKEND, TRAINER_HOLD_AFTER_EPOCH…). None by default.
   */
  redisWorkers?: number;
}

export interface Lab {
  fake: FakeDiscord;
  app: App;
  bot: DiscordBot;
  /** The data folder (DATA_DIR) of the bot. */
  dataDir: string;
  /** Everything the bot logged, for assertions and for reading a failure. */
  log: string[];
  /** The worker processes behind Redis (`redisWorkers`); none with the embedded queue. */
  workers: WorkerProcess[];
  stop(): Promise<void>;
}

/** Ends a worker at the end of a test: jobs it still holds train on without the bot, so it is killed. */
async function stopWorker(worker: WorkerProcess): Promise<void> {
  worker.kill('SIGKILL');
  await worker.exited;
}

/** Redis and its workers, for a lab with `redisWorkers`. */
interface RedisPart {
  redis: RedisServer;
  workers: WorkerProcess[];
  stop(): Promise<void>;
}

async function startRedisPart(count: number, dataDir: string, env: Record<string, string>): Promise<RedisPart> {
  const redis = await RedisServer.start();
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => startWorker({ ...process.env, ...env, DATA_DIR: path.join(dataDir, `worker-${index + 1}`), REDIS_URL: redis.url, TRAINERS: '1' })),
  );
  const workers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const stop = async () => {
    await Promise.all(workers.map(stopWorker));
    await redis.stop();
  };
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { redis, workers, stop };
}

/** Resolves once the bot's queue reaches Redis, reads the jobs' events, and counts every worker's trainer. */
async function workersReady(app: App, count: number): Promise<void> {
  const remote = app.services.workers;
  if (!(remote instanceof RemoteTrainers)) throw new Error('the app does not train on workers behind Redis');
  await app.ready();
  await waitUntil(() => remote.reachable && remote.view().length === count && remote.size === count, `the bot to reach Redis and read the heartbeats of ${count} workers`);
}

function recordingLogger(lines: string[]): Logger {
  return {
    info: (message) => lines.push(`info: ${message}`),
    error: (message, cause) => lines.push(`error: ${message} ${cause instanceof Error ? cause.stack : String(cause ?? '')}`),
  };
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const fake = await FakeDiscord.start({ roles: [{ id: TEACHER_ROLE_ID, name: 'Teacher' }], ...options.fake });
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-discord-'));
  const env = {
    DATA_DIR: dataDir,
    TRAIN_EXAMPLES: '600',
    TRAINER_BACKEND: 'wasm',
    DISCORD_API_URL: `${fake.url}/api`,
    DISCORD_GUILD_ID: fake.guildId,
    TEACHER_ROLE: 'teacher',
    ...options.env,
  };
  const remote = options.redisWorkers ? await startRedisPart(options.redisWorkers, dataDir, env).catch((error: unknown) => fake.stop().then(() => Promise.reject(error))) : null;
  const botEnv = remote ? { ...env, REDIS_URL: remote.redis.url } : env;
  const config = parseConfig(botEnv);
  const log: string[] = [];
  const app = createApp(config, { log: recordingLogger(log), trainerEnv: { ...process.env, ...botEnv }, now: options.now });
  const abandon = async (error: unknown): Promise<never> => {
    await app.close();
    await fake.stop();
    await remote?.stop();
    throw error;
  };
  options.beforeStart?.(app, fake);
  const bot = await startDiscordBot(app, loadCommands(), fake.token, options.bot).catch(abandon);
  // The queue reads the workers' heartbeats once the bot has started it.
  if (remote) await workersReady(app, remote.workers.length).catch((error: unknown) => bot.stop().then(() => abandon(error)));
  return {
    fake,
    app,
    bot,
    dataDir,
    log,
    workers: remote?.workers ?? [],
    async stop() {
      await app.close();
      await bot.stop();
      await fake.stop();
      await remote?.stop();
      if (options.dataDir) for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
      else fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const LOADING = 1 << 7;

/**
 * The most the tests wait for an answer, and for a run to end: minutes, not seconds, because
 * machines differ and CI runs with other load. They are there to end a broken test, never to pass a slow one.
 */
export const ANSWER_TIMEOUT_MS = 3 * 60_000;
export const TRAINING_TIMEOUT_MS = 5 * 60_000;

/** Resolves with the interaction's latest message once it is no longer "thinking…". */
export function answered(interaction: FakeInteraction, timeoutMs = ANSWER_TIMEOUT_MS): Promise<RecordedMessage> {
  return interaction.waitFor(
    (i) => {
      const latest = i.messages().filter((message) => !message.deleted).at(-1);
      return latest && (latest.flags & LOADING) === 0 ? latest : undefined;
    },
    timeoutMs,
    'an answer that is no longer "thinking…"',
  );
}

/** Everything a message says: its text, and its embeds' titles, descriptions and fields. */
export function textOf(message: RecordedMessage): string {
  const embeds = message.embeds as { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  return [message.content, ...embeds.flatMap((embed) => [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((field) => [field.name, field.value])])].join('\n');
}

/** The custom ids of a message's buttons. */
export function buttonIds(message: RecordedMessage): string[] {
  const rows = message.components as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((row) => (row.components ?? []).flatMap((component) => (component.custom_id ? [component.custom_id] : [])));
}

/** The job of a queued or running answer, from its Cancel button. */
export function jobIdOf(message: RecordedMessage): number {
  const cancel = buttonIds(message).find((id) => id.startsWith('cancel:'));
  if (!cancel) throw new Error(`message ${message.id} has no Cancel button`);
  return Number(cancel.split(':')[1]);
}

/** The run of a result, from its Run again button. */
export function runIdOf(message: RecordedMessage): string {
  const again = buttonIds(message).find((id) => id.startsWith('again:'));
  if (!again) throw new Error(`message ${message.id} has no Run again button`);
  return again.split(':')[1];
}

/** A pattern for a catalogue sentence whose unknown placeholders (ids, times) may be anything. */
export function sentencePattern(t: Translate, key: MessageKey, params: Record<string, string | number> = {}): RegExp {
  const text = t(key, params);
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\w+\\\}/g, '.+?');
  return new RegExp(escaped);
}

/** The latest message of an interaction that is not deleted. */
export function latestMessage(interaction: FakeInteraction): RecordedMessage | undefined {
  return interaction.messages().filter((message) => !message.deleted).at(-1);
}

/** Polls `probe` until it is truthy (for state outside the fake, such as the job queue); `awaited` says what for. */
export async function until<T>(probe: () => T, awaited: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let value = probe(); ; value = probe()) {
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${awaited}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the student's own message (the interaction's original) once its text matches `pattern`. */
export function shownOnOwnMessage(interaction: FakeInteraction, pattern: RegExp, awaited: string): Promise<RecordedMessage> {
  return interaction.waitFor(
    (i) => {
      const message = latestMessage(i);
      return message && message.id === i.original()?.id && pattern.test(textOf(message)) ? message : undefined;
    },
    TRAINING_TIMEOUT_MS,
    awaited,
  );
}

/** Resolves once the student's own message shows the first epoch's line, in the given language. */
export function firstEpochShown(interaction: FakeInteraction, t: Translate): Promise<RecordedMessage> {
  return shownOnOwnMessage(interaction, sentencePattern(t, 'progress.epoch_line', { epoch: 1 }), 'the first epoch’s line on the student’s message');
}

/** Every version of every message the bot sent, in the channel and in its threads. */
export function botMessageVersions(fake: FakeDiscord): RecordedMessage['versions'] {
  const channels = [fake.channelId, ...fake.threads().map((thread) => thread.id)];
  return channels
    .flatMap((channelId) => fake.channelMessages(channelId))
    .filter((message) => message.authorId === fake.applicationId)
    .flatMap((message) => message.versions)
    .filter((version) => version.payload.content !== undefined || version.payload.embeds);
}

/** Resolves with the interaction's message once it shows the end of a run (an embed with a title). */
export function runEnded(interaction: FakeInteraction, timeoutMs = TRAINING_TIMEOUT_MS): Promise<RecordedMessage> {
  return interaction.waitFor(
    (i) => {
      const message = latestMessage(i);
      const embeds = (message?.embeds ?? []) as { title?: string }[];
      return message && embeds.length > 0 && buttonIds(message).some((id) => id.startsWith('again:')) ? message : undefined;
    },
    timeoutMs,
    'the end of a run (an embed with a Run again button)',
  );
}
