/**
 * A fake Discord (REST API + gateway) on loopback, for end-to-end tests with the real discord.js.
 *
 *   const fake = await FakeDiscord.start({ ackTimeoutMs: 3000, tokenLifetimeMs: 2000 });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: `${fake.url}/api` } });
 *   await client.login(fake.token);                      // HELLO, IDENTIFY, READY, GUILD_CREATE
 *   // ... the bot registers its commands (PUT), then:
 *   const interaction = await fake.slashCommand({
 *     user: { id: '...', username: 'mina', locale: 'ko', roles: [] },
 *     name: 'train', options: { epochs: 3 }, attachments: { image: { name, contentType, bytes } },
 *   });
 *   const reply = await interaction.waitFor((i) => i.original()?.content.includes('done') && i.original());
 *   reply.versions;                // every create/edit with its payload and uploaded files
 *   reply.files[0].bytes;          // the current attachments, bytes included
 *   fake.stats.rateLimited;        // 429s served; fake.stats.rejections lists every 4xx
 *   await client.destroy(); await fake.stop();
 *
 * Identity: fake.url, fake.token, fake.applicationId (= bot user id), fake.guildId, fake.channelId.
 * Users act through slashCommand, autocomplete, messageCommand, clickButton and postUserMessage;
 * a command must have been registered by the bot, and options get the types it declared.
 * Recorded state: registeredCommands(scope?), channelMessages(channelId?), message(id), threads(),
 * interactions(), waitFor(probe, timeoutMs).
 *
 * Enforced like Discord (each limit is an option): a callback later than `ackTimeoutMs` gets 404
 * 10062; a second callback 400 40060; webhook calls after `tokenLifetimeMs` 401 50027 (before the
 * first callback 404 10015; `interaction.expireToken()` ends a token's life at once); more than `editRateLimit` edits of one message 429 with retry_after
 * and x-ratelimit-* headers (sent on successful edits too unless `advertiseRateLimits: false`);
 * message, embed, component, command and thread bodies over Discord's limits 400 50035; empty
 * messages 400 50006; bot routes without `Authorization: Bot <token>` 401.
 */
export { FakeDiscord } from './fake-discord';
export type {
  AutocompleteInput,
  ButtonClickInput,
  MessageCommandInput,
  SlashCommandInput,
  UserMessageInput,
} from './fake-discord';
export type { StoredAttachment } from './attachments';
export { ImpossibleInteractionError, type OptionValue } from './command-options';
export type { CommandScope, RegisteredCommand } from './commands';
export type { FakeUser, RecordedChannel } from './guild';
export { FakeInteraction, type RecordedCallback } from './interactions';
export { RecordedMessage, type MessageVersion } from './messages';
export type { FakeDiscordOptions, FakeRole } from './options';
export type { FakeFile } from './request-body';
export { newSnowflake } from './snowflake';
export type { FakeDiscordStats, Rejection } from './world';
