/**
 * `npm run register`: registers the commands in the guild of DISCORD_GUILD_ID (shown at once),
 * else globally (Discord may take a while to show them everywhere).
 */
import { REST } from 'discord.js';
import { loadCommands } from '../commands';
import { ConfigError, loadConfig, type Config } from './config';
import { registerCommands } from './discord/register';

export class RegisterSetupError extends Error {}

export interface RegisterTarget {
  token: string;
  applicationId: string;
  guildId: string | null;
  api: string | undefined;
}

/** What registration needs from the configuration, or an error naming what is missing. */
export function registerTarget(config: Config): RegisterTarget {
  const missing = [config.DISCORD_TOKEN ? null : 'DISCORD_TOKEN', config.DISCORD_CLIENT_ID ? null : 'DISCORD_CLIENT_ID'].filter(Boolean);
  if (!config.DISCORD_TOKEN || !config.DISCORD_CLIENT_ID) {
    throw new RegisterSetupError(`npm run register needs ${missing.join(' and ')} in the environment (or in .env): the bot's token and its application id from the Discord developer portal.`);
  }
  return { token: config.DISCORD_TOKEN, applicationId: config.DISCORD_CLIENT_ID, guildId: config.DISCORD_GUILD_ID ?? null, api: config.DISCORD_API_URL };
}

async function main(): Promise<number> {
  const target = registerTarget(loadConfig());
  const rest = new REST(target.api ? { api: target.api } : {}).setToken(target.token);
  const registered = await registerCommands(rest, target.applicationId, target.guildId, loadCommands());
  const scope = target.guildId ? `in guild ${target.guildId}` : 'globally';
  console.log(`Registered ${registered.length} commands ${scope}: ${registered.map((command) => command.name).join(', ')}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof RegisterSetupError) console.error(error.message);
      else console.error('Registering the commands failed:', error);
      process.exit(1);
    },
  );
}
