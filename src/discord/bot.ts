import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { App } from '../app';
import type { Command } from '../commands/command';
import { announceUnwatchedEnd, followRecoveredJob } from './job-context';
import { INTERACTION_TOKEN_LIFETIME_MS } from './token-window';
import { NO_MENTIONS } from './message-payload';
import { registerCommands } from './register';
import { routeInteraction, type RouteDeps } from './route-interaction';

export interface DiscordBotOptions {
  /** Lifetime of interaction tokens; Discord's is 15 minutes (tests use seconds). */
  tokenLifetimeMs?: number;
}

export interface DiscordBot {
  client: Client;
  /**
   * Waits a little for answers being written (at most `graceMs`), then disconnects. Close the app
   * first: jobs then end, and their answers are posted before the bot goes.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Promises still running, so that stopping can let them finish. */
class InFlight {
  private readonly running = new Set<Promise<void>>();

  track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async settled(timeoutMs: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.running]), sleep(timeoutMs, undefined, { ref: false })]);
  }
}

/**
 * Connects to Discord, registers the commands in DISCORD_GUILD_ID's guild when set, starts the
 * job queue, and answers every interaction.
 */
export async function startDiscordBot(app: App, commands: Command[], token: string, options: DiscordBotOptions = {}): Promise<DiscordBot> {
  const { services } = app;
  const { config, log } = services;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {},
    allowedMentions: NO_MENTIONS,
  });
  const deps: RouteDeps = { client, services, commands, tokenLifetimeMs: options.tokenLifetimeMs ?? INTERACTION_TOKEN_LIFETIME_MS };

  const inFlight = new InFlight();
  client.on(Events.InteractionCreate, (interaction) => {
    inFlight.track(routeInteraction(interaction, deps).catch((error: unknown) => log.error(`interaction ${interaction.id} was left unanswered`, error)));
  });
  client.on(Events.Error, (error) => log.error('discord.js reported an error', error));
  app.onUnwatchedEnd((end) => inFlight.track(announceUnwatchedEnd(end, deps)));

  try {
    const ready = once(client, Events.ClientReady);
    await client.login(token);
    await ready;
    const applicationId = client.application?.id ?? config.DISCORD_CLIENT_ID;
    if (config.DISCORD_GUILD_ID && applicationId) {
      const registered = await registerCommands(client.rest, applicationId, config.DISCORD_GUILD_ID, commands);
      log.info(`registered ${registered.length} commands in guild ${config.DISCORD_GUILD_ID}`);
    }
  } catch (error) {
    await client.destroy();
    throw error;
  }
  // Jobs left from before a restart are answered where their students are looking.
  services.queue.start((job, recoveredAs) => followRecoveredJob(job, recoveredAs, deps, (work) => inFlight.track(work)));
  log.info(`connected to Discord as ${client.user?.tag ?? 'the bot'}`);
  return {
    client,
    async stop(graceMs = 10_000) {
      await inFlight.settled(graceMs);
      await client.destroy();
    },
  };
}
