import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { Command, MessageCommand, OptionDefinition, OptionType, SlashCommand, SubcommandDefinition } from '../commands/command';
import { commandDescriptionKey, commandNameKey, optionDescriptionKey, optionNameKey, subcommandDescriptionKey, subcommandNameKey } from '../commands/message-keys';
import { bothLanguages as texts, type MessageKey } from '../i18n/translate';

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

/** A subcommand as Discord's API takes it: an option of type 1 holding the subcommand's own options. */
export interface SubcommandJson {
  type: ApplicationCommandOptionType.Subcommand;
  name: string;
  name_localizations: { ko: string };
  description: string;
  description_localizations: { ko: string };
  options: OptionJson[];
}

export interface SlashCommandJson {
  type: ApplicationCommandType.ChatInput;
  name: string;
  name_localizations: { ko: string };
  description: string;
  description_localizations: { ko: string };
  options: OptionJson[] | SubcommandJson[];
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

/** A name and a description as Discord's API takes them: in English, with their Korean localizations. */
function describedJson(name: string, nameKey: MessageKey, descriptionKey: MessageKey) {
  const description = texts(descriptionKey);
  return { name, name_localizations: { ko: texts(nameKey).ko }, description: description.en, description_localizations: { ko: description.ko } };
}

function optionJson(option: OptionDefinition): OptionJson {
  const numeric = option.type === 'integer' || option.type === 'number';
  return {
    type: OPTION_TYPES[option.type],
    ...describedJson(option.name, optionNameKey(option.name), option.descriptionKey ?? optionDescriptionKey(option.name)),
    required: option.required,
    ...(numeric && option.min !== undefined ? { min_value: option.min } : {}),
    ...(numeric && option.max !== undefined ? { max_value: option.max } : {}),
    ...(option.minLength !== undefined ? { min_length: option.minLength } : {}),
    ...(option.maxLength !== undefined ? { max_length: option.maxLength } : {}),
    ...(option.choices ? { choices: option.choices.map((value) => ({ name: String(value), value })) } : {}),
    ...(option.autocomplete ? { autocomplete: true } : {}),
  };
}

function subcommandJson(subcommand: SubcommandDefinition): SubcommandJson {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    ...describedJson(subcommand.name, subcommandNameKey(subcommand.name), subcommandDescriptionKey(subcommand.name)),
    options: subcommand.options.map(optionJson),
  };
}

function slashCommandJson(command: SlashCommand): SlashCommandJson {
  return {
    type: ApplicationCommandType.ChatInput,
    ...describedJson(command.name, commandNameKey(command.key), commandDescriptionKey(command.key)),
    options: command.options.subcommands ? command.options.subcommands.map(subcommandJson) : command.options.definitions.map(optionJson),
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
