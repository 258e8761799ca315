import { Routes, type REST } from 'discord.js';
import type { Command } from '../commands/command';
import { commandData } from './command-data';

export interface RegisteredCommand {
  id: string;
  name: string;
  type: number;
}

/**
 * Replaces the application's commands with ours (Discord's bulk overwrite): in one guild, where
 * changes show at once, or globally when `guildId` is null. Used by the bot on start and by
 * `npm run register`.
 */
export async function registerCommands(rest: REST, applicationId: string, guildId: string | null, commands: readonly Command[]): Promise<RegisteredCommand[]> {
  const route = guildId === null ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, guildId);
  return (await rest.put(route, { body: commandData(commands) })) as RegisteredCommand[];
}
