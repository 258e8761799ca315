import { discordErrors } from './errors';
import { commandListSchema, type CommandBody, type CommandOption } from './schemas/commands';
import { parseFormBody } from './schemas/validate';
import { newSnowflake } from './snowflake';

export type CommandScope = 'guild' | 'global';

/** A command as Discord stores and returns it: the bot's definition plus ids and defaults. */
export interface RegisteredCommand {
  [key: string]: unknown;
  id: string;
  application_id: string;
  guild_id?: string;
  version: string;
  /** 1 chat input (slash), 2 user menu, 3 message menu. */
  type: number;
  name: string;
  description: string;
  options?: CommandOption[];
}

/**
 * The commands a bot registered with bulk overwrite (PUT), per scope. As on Discord, a command that
 * keeps its name and type keeps its id across overwrites.
 */
export class CommandRegistry {
  private readonly scopes: Record<CommandScope, RegisteredCommand[]> = { guild: [], global: [] };

  constructor(
    private readonly applicationId: string,
    private readonly guildId: string,
  ) {}

  overwrite(scope: CommandScope, body: unknown): RegisteredCommand[] {
    const commands = parseFormBody(commandListSchema, body);
    rejectDuplicateNames(commands);
    const previous = this.scopes[scope];
    this.scopes[scope] = commands.map((command) => ({
      ...command,
      description: command.description ?? '',
      id: previous.find((old) => old.name === command.name && old.type === command.type)?.id ?? newSnowflake(),
      application_id: this.applicationId,
      ...(scope === 'guild' ? { guild_id: this.guildId } : {}),
      version: newSnowflake(),
    }));
    return this.list(scope);
  }

  list(scope: CommandScope): RegisteredCommand[] {
    return [...this.scopes[scope]];
  }

  /** The command an interaction would come from: a guild command wins over a global one. */
  find(name: string, type: number): RegisteredCommand | undefined {
    const matches = (command: RegisteredCommand) => command.name === name && command.type === type;
    return this.scopes.guild.find(matches) ?? this.scopes.global.find(matches);
  }
}

function rejectDuplicateNames(commands: CommandBody[]): void {
  const seen = new Set<string>();
  commands.forEach((command, index) => {
    const key = `${command.type}:${command.name}`;
    if (seen.has(key)) {
      throw discordErrors.invalidFormBody({
        [index]: { name: { _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` }] } },
      });
    }
    seen.add(key);
  });
}
