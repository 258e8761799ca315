import { randomBytes } from 'node:crypto';
import type { ResolvedOptions } from './options';
import { BOT_PERMISSIONS, combinePermissions } from './permissions';
import { newSnowflake } from './snowflake';

/** A user the test acts as. `roles` are role ids from the `roles` option. */
export interface FakeUser {
  id: string;
  username: string;
  /** The user's client language (`interaction.locale`), e.g. `ko` or `en-US`. Default `en-US`. */
  locale?: string;
  roles?: string[];
}

export const ChannelType = { GuildText: 0, PublicThread: 11, PrivateThread: 12 } as const;

/** A text channel or a thread of the guild. */
export interface RecordedChannel {
  id: string;
  name: string;
  type: number;
  /** For threads: the text channel it belongs to. */
  parentId?: string;
  /** For threads started from a message: that message (Discord gives the thread its id). */
  starterMessageId?: string;
  autoArchiveDuration?: number;
  createdAt: number;
}

/**
 * The one guild the fake serves: its bot user, roles, channels and threads, and the Discord JSON
 * for each of them as discord.js expects it in READY, GUILD_CREATE and interactions.
 */
export class FakeGuild {
  readonly id = newSnowflake();
  readonly applicationId = newSnowflake();
  /** A teacher who owns the server; never acts in tests. */
  readonly ownerId = newSnowflake();
  readonly bot: FakeUser;
  readonly botToken: string;
  readonly channels = new Map<string, RecordedChannel>();
  readonly mainChannelId: string;
  private readonly createdAt = Date.now();

  constructor(private readonly options: ResolvedOptions) {
    // Discord bots have the same id as their application.
    this.bot = { id: this.applicationId, username: options.botUsername };
    this.botToken = botToken(this.applicationId);
    this.mainChannelId = newSnowflake();
    this.channels.set(this.mainChannelId, {
      id: this.mainChannelId,
      name: options.channelName,
      type: ChannelType.GuildText,
      createdAt: this.createdAt,
    });
  }

  threads(): RecordedChannel[] {
    return [...this.channels.values()].filter((channel) => channel.parentId !== undefined);
  }

  userJson(user: FakeUser, bot = false): Record<string, unknown> {
    return {
      id: user.id,
      username: user.username,
      global_name: bot ? null : user.username,
      discriminator: '0',
      avatar: null,
      public_flags: 0,
      ...(bot ? { bot: true } : {}),
    };
  }

  botUserJson(): Record<string, unknown> {
    return { ...this.userJson(this.bot, true), verified: true, mfa_enabled: false, flags: 0 };
  }

  memberJson(user: FakeUser, bot = false): Record<string, unknown> {
    const roles = user.roles ?? [];
    return {
      user: this.userJson(user, bot),
      roles,
      nick: null,
      avatar: null,
      joined_at: new Date(this.createdAt).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      permissions: bot ? BOT_PERMISSIONS : this.permissionsOf(roles),
    };
  }

  permissionsOf(roleIds: string[]): string {
    const roles = this.options.roles.filter((role) => roleIds.includes(role.id));
    return combinePermissions([this.options.everyonePermissions, ...roles.map((role) => role.permissions)]);
  }

  rolesJson(): Array<Record<string, unknown>> {
    const everyone = { id: this.id, name: '@everyone', permissions: this.options.everyonePermissions };
    return [everyone, ...this.options.roles].map((role, position) => ({
      ...role,
      position,
      color: 0,
      hoist: false,
      icon: null,
      unicode_emoji: null,
      managed: false,
      mentionable: false,
      flags: 0,
    }));
  }

  channelJson(channel: RecordedChannel): Record<string, unknown> {
    const common = {
      id: channel.id,
      type: channel.type,
      guild_id: this.id,
      name: channel.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
    if (channel.parentId === undefined) {
      return { ...common, position: 0, permission_overwrites: [], parent_id: null, topic: null, nsfw: false };
    }
    const created = new Date(channel.createdAt).toISOString();
    return {
      ...common,
      parent_id: channel.parentId,
      owner_id: this.bot.id,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: channel.autoArchiveDuration ?? 1440,
        archive_timestamp: created,
        locked: false,
        create_timestamp: created,
        ...(channel.type === ChannelType.PrivateThread ? { invitable: true } : {}),
      },
      member: { id: channel.id, user_id: this.bot.id, join_timestamp: created, flags: 0 },
    };
  }

  /** The guild as GUILD_CREATE carries it, with the bot as its only cached member. */
  guildCreateJson(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.options.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      premium_tier: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: this.options.guildLocale,
      nsfw_level: 0,
      features: [],
      emojis: [],
      stickers: [],
      roles: this.rolesJson(),
      joined_at: new Date(this.createdAt).toISOString(),
      large: false,
      unavailable: false,
      member_count: 1,
      members: [this.memberJson(this.bot, true)],
      channels: [...this.channels.values()].filter((c) => c.parentId === undefined).map((c) => this.channelJson(c)),
      threads: this.threads().map((thread) => this.channelJson(thread)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}


/** Shaped like a Discord bot token: the bot id in base64, a timestamp part and an HMAC part. */
function botToken(applicationId: string): string {
  return [
    Buffer.from(applicationId).toString('base64url'),
    randomBytes(4).toString('base64url'),
    randomBytes(27).toString('base64url'),
  ].join('.');
}
