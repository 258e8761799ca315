import { EventEmitter } from 'node:events';
import { AttachmentStore } from './attachments';
import { CommandRegistry } from './commands';
import { discordErrors } from './errors';
import { FakeGuild, type RecordedChannel } from './guild';
import type { FakeInteraction } from './interactions';
import { MessageType, RecordedMessage, type MessageOrigin } from './messages';
import type { ResolvedOptions } from './options';
import { FixedWindowRateLimit } from './rate-limit';
import { newSnowflake } from './snowflake';
import { CHANGE_EVENT } from './wait';

/** A 4xx the fake answered, kept so a failing test can show what the bot did wrong. */
export interface Rejection {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
}

export interface FakeDiscordStats {
  /** REST requests served. */
  requests: number;
  /** 429 answers served because a message was edited faster than `editRateLimit`. */
  rateLimited: number;
  /** Every 4xx answer, in order (429s included). */
  rejections: Rejection[];
  /** Gateway IDENTIFYs accepted, with the intents the bot asked for. */
  identifies: Array<{ intents: number }>;
  /** Gateway heartbeats acknowledged. */
  heartbeats: number;
}

/**
 * Everything the fake Discord knows: the guild, messages, interactions, commands and counters.
 * Every change is announced on `changes`, which the `waitFor` helpers listen to.
 */
export class World {
  readonly changes = new EventEmitter();
  readonly guild: FakeGuild;
  readonly commands: CommandRegistry;
  readonly attachments: AttachmentStore;
  readonly editRateLimit: FixedWindowRateLimit;
  readonly stats: FakeDiscordStats = { requests: 0, rateLimited: 0, rejections: [], identifies: [], heartbeats: 0 };
  private readonly messages = new Map<string, RecordedMessage>();
  private readonly interactionsById = new Map<string, FakeInteraction>();

  constructor(
    readonly options: ResolvedOptions,
    baseUrl: () => string,
  ) {
    this.changes.setMaxListeners(0);
    this.guild = new FakeGuild(options);
    this.commands = new CommandRegistry(this.guild.applicationId, this.guild.id);
    this.attachments = new AttachmentStore(baseUrl);
    this.editRateLimit = new FixedWindowRateLimit(options.editRateLimit, 'fake-message-edit');
  }

  get token(): string {
    return this.guild.botToken;
  }

  changed(): void {
    this.changes.emit(CHANGE_EVENT);
  }

  channel(id: string): RecordedChannel {
    const channel = this.guild.channels.get(id);
    if (!channel) throw discordErrors.unknownChannel();
    return channel;
  }

  message(id: string): RecordedMessage | undefined {
    return this.messages.get(id);
  }

  /** Messages in a channel or thread, oldest first, ephemeral and deleted ones included. */
  channelMessages(channelId: string): RecordedMessage[] {
    return [...this.messages.values()].filter((message) => message.channelId === channelId);
  }

  /** A message not yet stored: `apply` its first version, then `addMessage` it. */
  newMessage(channelId: string, origin: MessageOrigin): RecordedMessage {
    this.channel(channelId);
    return new RecordedMessage(newSnowflake(), channelId, this.guild.id, origin);
  }

  /** Stores a message once it was applied successfully (a refused create leaves no trace). */
  addMessage(message: RecordedMessage): void {
    this.messages.set(message.id, message);
    this.changed();
  }

  botOrigin(): MessageOrigin {
    return { author: this.guild.botUserJson(), type: MessageType.Default };
  }

  messageJson(message: RecordedMessage): Record<string, unknown> {
    const thread = message.threadId === undefined ? undefined : this.guild.channels.get(message.threadId);
    return message.toJson(thread && this.guild.channelJson(thread));
  }

  addInteraction(interaction: FakeInteraction): void {
    this.interactionsById.set(interaction.id, interaction);
    this.changed();
  }

  interaction(id: string): FakeInteraction | undefined {
    return this.interactionsById.get(id);
  }

  interactionByToken(token: string): FakeInteraction | undefined {
    return [...this.interactionsById.values()].find((interaction) => interaction.token === token);
  }

  interactions(): FakeInteraction[] {
    return [...this.interactionsById.values()];
  }
}
