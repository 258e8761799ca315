import { randomBytes } from 'node:crypto';
import type { FakeUser } from './guild';
import { BOT_PERMISSIONS } from './permissions';
import { newSnowflake } from './snowflake';
import type { World } from './world';

export interface EnvelopeInput {
  type: number;
  user: FakeUser;
  /** Defaults to the user's locale, else `en-US`. */
  locale?: string;
  channelId: string;
  data: Record<string, unknown>;
  /** Component interactions carry the message whose component was used. */
  message?: Record<string, unknown>;
}

/**
 * The INTERACTION_CREATE payload around an interaction's `data`: ids, a fresh token, the guild,
 * the channel, the member with roles and permissions, locales, as Discord sends them.
 */
export function interactionEnvelope(world: World, input: EnvelopeInput): Record<string, unknown> {
  const { guild } = world;
  return {
    id: newSnowflake(),
    application_id: guild.applicationId,
    type: input.type,
    token: randomBytes(48).toString('base64url'),
    version: 1,
    guild_id: guild.id,
    guild: { id: guild.id, locale: world.options.guildLocale, features: [] },
    channel_id: input.channelId,
    channel: guild.channelJson(world.channel(input.channelId)),
    member: guild.memberJson(input.user),
    locale: input.locale ?? input.user.locale ?? 'en-US',
    guild_locale: world.options.guildLocale,
    app_permissions: BOT_PERMISSIONS,
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: world.options.maxUploadBytes,
    data: input.data,
    ...(input.message ? { message: input.message } : {}),
  };
}
