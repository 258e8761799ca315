import { z } from 'zod';
import { EVERYONE_PERMISSIONS } from './permissions';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a snowflake (17-20 digits)');

/** The rules the fake enforces and the guild it serves; every field has Discord's default. */
export const fakeDiscordOptionsSchema = z.object({
  /** Time a bot has to acknowledge an interaction; later callbacks get 404 code 10062. */
  ackTimeoutMs: z.number().int().positive().default(3000),
  /** Lifetime of an interaction token on the webhook routes; later calls get 401 code 50027. */
  tokenLifetimeMs: z.number().int().positive().default(15 * 60 * 1000),
  /** Edits allowed per message in a window (PATCH on webhook or channel routes); more get 429. */
  editRateLimit: z
    .object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() })
    .default({ limit: 5, windowMs: 5000 }),
  /**
   * Whether successful edits carry the x-ratelimit-* headers. With them discord.js paces itself
   * and never meets the 429; without them (like Discord's undisclosed limits) it must handle one.
   */
  advertiseRateLimits: z.boolean().default(true),
  /** Interval announced in HELLO; discord.js heartbeats at it and gives up if not acknowledged. */
  heartbeatIntervalMs: z.number().int().positive().default(41_250),
  /** Largest file accepted in an upload (Discord's default for a server: 10 MiB). */
  maxUploadBytes: z.number().int().positive().default(10 * 1024 * 1024),
  botUsername: z.string().min(2).max(32).default('Fashion Lab'),
  guildName: z.string().min(2).max(100).default('Fashion Lab class'),
  guildLocale: z.string().default('en-US'),
  channelName: z.string().min(1).max(100).default('lab'),
  /** Guild roles besides @everyone (whose id is the guild id). */
  roles: z
    .array(z.object({ id: snowflake, name: z.string().min(1).max(100), permissions: z.string().regex(/^\d+$/).default('0') }))
    .default([]),
  everyonePermissions: z.string().regex(/^\d+$/).default(EVERYONE_PERMISSIONS),
});

export type FakeDiscordOptions = z.input<typeof fakeDiscordOptionsSchema>;
export type ResolvedOptions = z.output<typeof fakeDiscordOptionsSchema>;
export type FakeRole = ResolvedOptions['roles'][number];
