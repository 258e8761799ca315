import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { Command, MessageCommand, OptionDefinition, OptionType, SlashCommand } from '../commands/command';
import { bothLanguages, type MessageKey } from '../i18n/translate';

/** An option as Discord's API takes it when a command is registered. */
export interface OptionJson {
  type: ApplicationCommandOptionType;
  name: string;
  name_localizations: { ko: string };
  description: string;
  description_localizations: { ko: string };
  required: boolean;
  min_value?: number;
  max_value?: number;
  choices?: { name: string; value: string | number }[];
  autocomplete?: boolean;
}

export interface SlashCommandJson {
  type: ApplicationCommandType.ChatInput;
  name: string;
  name_localizations: { ko: string };
  description: string;
  description_localizations: { ko: string };
  options: OptionJson[];
}

export interface MessageCommandJson {
  type: ApplicationCommandType.Message;
  name: string;
  name_localizations: { ko: string };
}

export type CommandJson = SlashCommandJson | MessageCommandJson;

const OPTION_TYPES: Record<OptionType, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
  number: ApplicationCommandOptionType.Number,
  attachment: ApplicationCommandOptionType.Attachment,
};

export class MissingTranslationError extends Error {}

/** Both languages of a catalogue key; a key missing from either catalogue is a programming error. */
function texts(key: string): { en: string; ko: string } {
  const { en, ko } = bothLanguages(key as MessageKey);
  if (!en || !ko) throw new MissingTranslationError(`the catalogues have no ${en ? 'Korean' : 'English'} text for ${key}`);
  return { en, ko };
}

function optionJson(option: OptionDefinition): OptionJson {
  const name = texts(`option.${option.name}.name`);
  const description = texts(`option.${option.name}.description`);
  const numeric = option.type === 'integer' || option.type === 'number';
  return {
    type: OPTION_TYPES[option.type],
    name: option.name,
    name_localizations: { ko: name.ko },
    description: description.en,
    description_localizations: { ko: description.ko },
    required: option.required ?? false,
    ...(numeric && option.min !== undefined ? { min_value: option.min } : {}),
    ...(numeric && option.max !== undefined ? { max_value: option.max } : {}),
    ...(option.choices ? { choices: option.choices.map((value) => ({ name: String(value), value })) } : {}),
    ...(option.autocomplete ? { autocomplete: true } : {}),
  };
}

function slashCommandJson(command: SlashCommand): SlashCommandJson {
  const name = texts(`command.${command.key}.name`);
  const description = texts(`command.${command.key}.description`);
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    name_localizations: { ko: name.ko },
    description: description.en,
    description_localizations: { ko: description.ko },
    options: command.options.map(optionJson),
  };
}

/** The name a message (context-menu) command is registered, and therefore invoked, under. */
export function messageCommandName(command: MessageCommand): string {
  return texts(`command.${command.key}.name`).en;
}

function messageCommandJson(command: MessageCommand): MessageCommandJson {
  return {
    type: ApplicationCommandType.Message,
    name: messageCommandName(command),
    name_localizations: { ko: texts(`command.${command.key}.name`).ko },
  };
}

/** Our command definitions as the body of Discord's bulk overwrite: English names, Korean localizations. */
export function commandData(commands: readonly Command[]): CommandJson[] {
  return commands.map((command) => (command.kind === 'slash' ? slashCommandJson(command) : messageCommandJson(command)));
}
