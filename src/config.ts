import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { BACKEND_NAMES } from './protocol/backend-report';

/**
 * Every setting the bot reads from the environment, parsed once at start-up.
 * Nothing else in the code base reads `process.env`.
 */
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const configSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_CLIENT_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  FASHION_MNIST_DIR: optionalText,
  FASHION_MNIST_MIRROR: z.url().default('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'),
  TRAINER_BACKEND: z.enum(['auto', ...BACKEND_NAMES]).default('auto'),
  /** CPU threads of the fused CPU engine in each trainer; the cores shared among the TRAINERS by default. */
  TRAINER_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /** Trainer processes on this machine, each running one job at a time. */
  TRAINERS: positiveInt(1, 64),
  TRAIN_EXAMPLES: positiveInt(60000, 60000),
  /**
   * For tests: epochs (e.g. "1" or "1,2") after which every job that has more epochs waits until
   * the bot sends `release`, so a test can act while a job is surely running, whatever the
   * machine's speed.
   */
  TRAINER_HOLD_AFTER_EPOCH: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a list of epoch numbers such as "1" or "1,2"')
    .transform((list) => list.split(',').map(Number))
    .optional(),
  MAX_EPOCHS: positiveInt(50, 1000),
  MAX_UNITS: positiveInt(2048, 8192),
  MAX_BATCH_SIZE: positiveInt(1024, 60000),
  QUEUE_CAP: positiveInt(30, 1000),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(100).default(8),
  TEACHER_ROLE: optionalText,
  /** Redis of the training queue shared with `npm run worker` on other machines; unset: the trainers of this machine. */
  REDIS_URL: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.url({ protocol: /^rediss?$/ }).optional())
    .optional(),
  /** How long a worker holds a job's lock between renewals; a worker gone silent this long has lost it. */
  REDIS_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often the bot and the workers look for jobs whose worker stopped renewing their lock. */
  REDIS_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  /** The largest trained model a worker may send back, in MB. */
  MAX_MODEL_MB: z.coerce.number().positive().max(512).default(32),
  CHART_RENDERER: z.enum(['local', 'quickchart']).default('local'),
  QUICKCHART_URL: z.url().default('https://quickchart.io'),
});

/** The environment's settings, and what follows from them, each worked out here once. */
export type Config = z.infer<typeof configSchema> & {
  /** DATA_DIR as an absolute path. */
  dataDir: string;
  /** The lab's SQLite database. */
  databaseFile: string;
  /** Where the class model (the model for photos) is saved. */
  classModelDir: string;
  /** MAX_UPLOAD_MB in whole bytes: the cap on a photo, by its declared size and by what arrives. */
  maxUploadBytes: number;
  /** MAX_MODEL_MB in whole bytes. */
  maxModelBytes: number;
};

const MEGABYTE = 1024 * 1024;

export class ConfigError extends Error {}

/** Parses an environment (normally `process.env`) into a typed configuration. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    dataDir,
    databaseFile: path.join(dataDir, 'lab.db'),
    classModelDir: path.join(dataDir, 'class-model'),
    maxUploadBytes: Math.floor(parsed.data.MAX_UPLOAD_MB * MEGABYTE),
    maxModelBytes: Math.floor(parsed.data.MAX_MODEL_MB * MEGABYTE),
  };
}

let loaded: Config | undefined;

/** Loads `.env` (once) and parses the environment. */
export function loadConfig(): Config {
  if (!loaded) {
    dotenv.config({ quiet: true });
    loaded = parseConfig(process.env);
  }
  return loaded;
}
