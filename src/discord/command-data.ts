import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { Command, MessageCommand, OptionDefinition, OptionType, SlashCommand } from '../commands/command';
import { commandDescriptionKey, commandNameKey, optionDescriptionKey, optionNameKey } from '../commands/message-keys';
import { bothLanguages as texts } from '../i18n/translate';

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
  min_length?: number;
  max_length?: number;
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

function optionJson(option: OptionDefinition): OptionJson {
  const name = texts(optionNameKey(option.name));
  const description = texts(optionDescriptionKey(option.name));
  const numeric = option.type === 'integer' || option.type === 'number';
  return {
    type: OPTION_TYPES[option.type],
    name: option.name,
    name_localizations: { ko: name.ko },
    description: description.en,
    description_localizations: { ko: description.ko },
    required: option.required,
    ...(numeric && option.min !== undefined ? { min_value: option.min } : {}),
    ...(numeric && option.max !== undefined ? { max_value: option.max } : {}),
    ...(option.minLength !== undefined ? { min_length: option.minLength } : {}),
    ...(option.maxLength !== undefined ? { max_length: option.maxLength } : {}),
    ...(option.choices ? { choices: option.choices.map((value) => ({ name: String(value), value })) } : {}),
    ...(option.autocomplete ? { autocomplete: true } : {}),
  };
}

function slashCommandJson(command: SlashCommand): SlashCommandJson {
  const name = texts(commandNameKey(command.key));
  const description = texts(commandDescriptionKey(command.key));
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    name_localizations: { ko: name.ko },
    description: description.en,
    description_localizations: { ko: description.ko },
    options: command.options.definitions.map(optionJson),
  };
}

/** The name a message (context-menu) command is registered, and therefore invoked, under. */
export function messageCommandName(command: MessageCommand): string {
  return texts(commandNameKey(command.key)).en;
}

function messageCommandJson(command: MessageCommand): MessageCommandJson {
  return {
    type: ApplicationCommandType.Message,
    name: messageCommandName(command),
    name_localizations: { ko: texts(commandNameKey(command.key)).ko },
  };
}

/** Our command definitions as the body of Discord's bulk overwrite: English names, Korean localizations. */
export function commandData(commands: readonly Command[]): CommandJson[] {
  return commands.map((command) => (command.kind === 'slash' ? slashCommandJson(command) : messageCommandJson(command)));
}
