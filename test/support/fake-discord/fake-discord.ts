import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoredAttachment } from './attachments';
import { buildCommandData, ImpossibleInteractionError, type OptionValue } from './command-options';
import type { CommandScope, RegisteredCommand } from './commands';
import { Gateway, GATEWAY_PATH } from './gateway';
import type { FakeUser, RecordedChannel } from './guild';
import { interactionEnvelope, type EnvelopeInput } from './interaction-envelope';
import { FakeInteraction, InteractionType } from './interactions';
import { MessageType, type RecordedMessage } from './messages';
import { fakeDiscordOptionsSchema, type FakeDiscordOptions } from './options';
import type { FakeFile } from './request-body';
import { createRequestListener } from './rest-server';
import { Router } from './router';
import { addApplicationRoutes } from './routes/application';
import { addChannelRoutes } from './routes/channels';
import { addInteractionRoutes } from './routes/interactions';
import { CommandType } from './schemas/commands';
import { waitForChange, type Truthy } from './wait';
import { World, type FakeDiscordStats } from './world';

export interface SlashCommandInput {
  user: FakeUser;
  name: string;
  /** Defaults to the user's locale, else `en-US`. */
  locale?: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Option values by name; their Discord types come from the registered command. */
  options?: Record<string, OptionValue>;
  /** Files for attachment options, by option name. */
  attachments?: Record<string, FakeFile>;
  /** Where the command is used: the main channel unless a thread (or channel) id is given. */
  channelId?: string;
}

export interface AutocompleteInput extends Omit<SlashCommandInput, 'attachments'> {
  /** The option being typed; its value is sent as the text typed so far. */
  focused: string;
}

/** A message a user posts (for example a photo to classify with a message command). */
export interface UserMessageInput {
  author: FakeUser;
  content?: string;
  files?: FakeFile[];
  channelId?: string;
}

export interface MessageCommandInput {
  user: FakeUser;
  name: string;
  locale?: string;
  /** A recorded message, its id, or a user message to post first. */
  targetMessage: RecordedMessage | string | UserMessageInput;
}

export interface ButtonClickInput {
  user: FakeUser;
  messageId: string;
  customId: string;
  locale?: string;
}

const BUTTON = 2;

/**
 * A Discord-compatible REST API and gateway on loopback for end-to-end tests with the real
 * discord.js client. See index.ts for how to use it.
 */
export class FakeDiscord {
  private readonly world: World;
  private readonly httpServer: Server;
  private readonly gateway: Gateway;
  private baseUrl = '';
  private stopped: Promise<void> | undefined;

  private constructor(options: FakeDiscordOptions) {
    const world = new World(fakeDiscordOptionsSchema.parse(options), () => this.baseUrl);
    this.world = world;
    const router = new Router();
    addApplicationRoutes(router, world, () => this.gatewayUrl);
    addInteractionRoutes(router, world);
    addChannelRoutes(router, world, (event, data) => this.gateway.notify(event, data));
    this.httpServer = createServer(createRequestListener(world, router));
    this.gateway = new Gateway(this.httpServer, world, () => this.gatewayUrl);
  }

  /** Starts the fake on a free loopback port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve, reject) => {
      fake.httpServer.once('error', reject);
      fake.httpServer.listen(0, '127.0.0.1', () => resolve());
    });
    fake.baseUrl = `http://127.0.0.1:${(fake.httpServer.address() as AddressInfo).port}`;
    return fake;
  }

  /** The bot token the fake accepts (REST `Authorization: Bot ...` and gateway IDENTIFY). */
  get token(): string {
    return this.world.guild.botToken;
  }

  /** `http://127.0.0.1:<port>`; hand `${url}/api` to discord.js as `rest.api`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Where GET /gateway/bot sends the bot: `ws://127.0.0.1:<port>/gateway`. */
  get gatewayUrl(): string {
    return `${this.baseUrl.replace(/^http/, 'ws')}${GATEWAY_PATH}`;
  }

  /** The bot's application id, which is also the bot user's id. */
  get applicationId(): string {
    return this.world.guild.applicationId;
  }

  get guildId(): string {
    return this.world.guild.id;
  }

  /** The guild's text channel, where interactions happen unless told otherwise. */
  get channelId(): string {
    return this.world.guild.mainChannelId;
  }

  get stats(): FakeDiscordStats {
    return this.world.stats;
  }

  /** Whether a bot has identified on the gateway and is still connected. */
  get botConnected(): boolean {
    return this.gateway.connected;
  }

  /** Commands the bot registered in the guild or globally; both (guild first) when no scope is given. */
  registeredCommands(scope?: CommandScope): RegisteredCommand[] {
    if (scope) return this.world.commands.list(scope);
    return [...this.world.commands.list('guild'), ...this.world.commands.list('global')];
  }

  /** A user runs a registered slash command; resolves once INTERACTION_CREATE is sent. */
  async slashCommand(input: SlashCommandInput): Promise<FakeInteraction> {
    const command = this.registered(input.name, CommandType.ChatInput);
    const attachments: Record<string, StoredAttachment> = {};
    for (const [name, file] of Object.entries(input.attachments ?? {})) attachments[name] = this.world.attachments.add(file);
    const data = buildCommandData({ ...input, command, options: input.options ?? {}, attachments }, this.world.guild);
    return this.dispatch(
      {
        type: InteractionType.ApplicationCommand,
        user: input.user,
        locale: input.locale,
        channelId: input.channelId ?? this.channelId,
        data: { ...commandIdentity(command), ...data },
      },
      MessageType.ChatInputCommand,
    );
  }

  /** A user types in an autocomplete option; the bot's answer is a type 8 callback. */
  async autocomplete(input: AutocompleteInput): Promise<FakeInteraction> {
    const command = this.registered(input.name, CommandType.ChatInput);
    const data = buildCommandData({ ...input, command, options: input.options ?? {}, attachments: {} }, this.world.guild);
    return this.dispatch(
      {
        type: InteractionType.Autocomplete,
        user: input.user,
        locale: input.locale,
        channelId: input.channelId ?? this.channelId,
        data: { ...commandIdentity(command), ...data },
      },
      MessageType.ChatInputCommand,
    );
  }

  /** Posts a message as a user (not the bot), for example a photo for a message command. */
  postUserMessage(input: UserMessageInput): RecordedMessage {
    const message = this.world.newMessage(input.channelId ?? this.channelId, {
      author: this.world.guild.userJson(input.author),
      type: MessageType.Default,
    });
    const files = (input.files ?? []).map((file, index) => ({ ...file, index }));
    message.apply('create', { content: input.content ?? '' }, files, this.world.attachments);
    this.world.addMessage(message);
    return message;
  }

  /** A user runs a registered message context-menu command on a message. */
  async messageCommand(input: MessageCommandInput): Promise<FakeInteraction> {
    const command = this.registered(input.name, CommandType.Message);
    const target = this.targetMessage(input.targetMessage);
    return this.dispatch(
      {
        type: InteractionType.ApplicationCommand,
        user: input.user,
        locale: input.locale,
        channelId: target.channelId,
        data: {
          ...commandIdentity(command),
          target_id: target.id,
          resolved: { messages: { [target.id]: this.world.messageJson(target) } },
        },
      },
      MessageType.ContextMenuCommand,
    );
  }

  /** A user clicks a button that is on a message (and not disabled). */
  async clickButton(input: ButtonClickInput): Promise<FakeInteraction> {
    const message = this.world.message(input.messageId);
    if (!message || message.deleted) throw new ImpossibleInteractionError(`No message ${input.messageId} to click on`);
    const button = findComponent(message.components, input.customId);
    if (!button || button.type !== BUTTON) {
      throw new ImpossibleInteractionError(`Message ${message.id} has no button "${input.customId}"`);
    }
    if (button.disabled === true) throw new ImpossibleInteractionError(`Button "${input.customId}" is disabled`);
    return this.dispatch(
      {
        type: InteractionType.MessageComponent,
        user: input.user,
        locale: input.locale,
        channelId: message.channelId,
        data: { custom_id: input.customId, component_type: BUTTON },
        message: this.world.messageJson(message),
      },
      MessageType.Default,
      message.id,
    );
  }

  /** Every message of a channel or thread, oldest first, ephemeral and deleted ones included. */
  channelMessages(channelId: string = this.channelId): RecordedMessage[] {
    return this.world.channelMessages(channelId);
  }

  message(id: string): RecordedMessage | undefined {
    return this.world.message(id);
  }

  threads(): RecordedChannel[] {
    return this.world.guild.threads();
  }

  interactions(): FakeInteraction[] {
    return this.world.interactions();
  }

  /**
   * Resolves with the first truthy value of `probe`, re-checked after every change in the fake;
   * a timeout names `awaited` (what the probe waits for) in its message.
   */
  waitFor<T>(probe: (fake: FakeDiscord) => T, timeoutMs = 5000, awaited = 'its probe'): Promise<Truthy<T>> {
    return waitForChange(this.world.changes, () => probe(this), timeoutMs, `the fake Discord: ${awaited}`);
  }

  /**
   * Closes the gateway and the HTTP server; calling it again is harmless. Destroy the discord.js
   * client first: a client still connected is disconnected with close code 4004, after which it
   * does not try to reconnect (it emits `shardDisconnect`).
   */
  stop(): Promise<void> {
    this.stopped ??= this.close();
    return this.stopped;
  }

  private async close(): Promise<void> {
    await this.gateway.close();
    this.httpServer.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.httpServer.close((error) => (error ? reject(error) : resolve())));
  }

  private registered(name: string, type: number): RegisteredCommand {
    const command = this.world.commands.find(name, type);
    if (command) return command;
    const known = this.registeredCommands().map((candidate) => candidate.name).join(', ') || 'none';
    throw new ImpossibleInteractionError(`No command "${name}" of type ${type} is registered (registered: ${known})`);
  }

  private targetMessage(target: MessageCommandInput['targetMessage']): RecordedMessage {
    if (typeof target !== 'string' && 'author' in target) return this.postUserMessage(target);
    const message = this.world.message(typeof target === 'string' ? target : target.id);
    if (!message || message.deleted) throw new ImpossibleInteractionError('The target message does not exist');
    return message;
  }

  private async dispatch(input: EnvelopeInput, responseMessageType: number, componentMessageId?: string): Promise<FakeInteraction> {
    const payload = interactionEnvelope(this.world, input);
    const interaction = new FakeInteraction(
      {
        id: String(payload.id),
        token: String(payload.token),
        type: input.type,
        channelId: input.channelId,
        responseMessageType,
        payload,
        componentMessageId,
      },
      this.world,
    );
    this.world.addInteraction(interaction);
    await this.gateway.dispatch('INTERACTION_CREATE', payload);
    return interaction;
  }
}

function commandIdentity(command: RegisteredCommand): Record<string, unknown> {
  return {
    id: command.id,
    name: command.name,
    type: command.type,
    ...(command.guild_id === undefined ? {} : { guild_id: command.guild_id }),
  };
}

interface Component {
  type?: number;
  custom_id?: string;
  disabled?: boolean;
  components?: Component[];
  accessory?: Component;
}

/** Finds a component by custom id in action rows and in components v2 containers alike. */
function findComponent(components: unknown[], customId: string): Component | undefined {
  for (const component of components as Component[]) {
    if (component.custom_id === customId) return component;
    const nested = findComponent([...(component.components ?? []), ...(component.accessory ? [component.accessory] : [])], customId);
    if (nested) return nested;
  }
  return undefined;
}
