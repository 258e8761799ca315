import { ApplicationCommandOptionType, type ChatInputCommandInteraction, type CommandInteractionOption, type User } from 'discord.js';
import type { RawOptions, RawOptionValue, UserInput } from '../commands/command';
import { attachmentInput } from './attachment-download';

/** The name a person goes by here: server nickname, else display name, else user name. */
export function displayName(user: User, member?: { displayName: string } | { nick?: string | null } | null): string {
  if (member && 'displayName' in member) return member.displayName;
  if (member && 'nick' in member && member.nick) return member.nick;
  return user.globalName ?? user.username;
}

function userInput(option: CommandInteractionOption): UserInput | undefined {
  return option.user ? { id: option.user.id, name: displayName(option.user, option.member) } : undefined;
}

function valueOf(option: CommandInteractionOption, maxUploadBytes: number): RawOptionValue | undefined {
  switch (option.type) {
    case ApplicationCommandOptionType.Subcommand:
      return rawOptionsFrom(option.options ?? [], maxUploadBytes);
    case ApplicationCommandOptionType.Attachment:
      return option.attachment ? attachmentInput(option.attachment, maxUploadBytes) : undefined;
    case ApplicationCommandOptionType.User:
      return userInput(option);
    default:
      return option.value ?? undefined;
  }
}

function rawOptionsFrom(options: readonly CommandInteractionOption[], maxUploadBytes: number): RawOptions {
  const raw: RawOptions = {};
  for (const option of options) {
    const value = valueOf(option, maxUploadBytes);
    if (value !== undefined) raw[option.name] = value;
  }
  return raw;
}

/** Discord's typed options as the platform-neutral raw options a command's schema checks; a subcommand's nest under its name. */
export function rawOptionsOf(interaction: ChatInputCommandInteraction, maxUploadBytes: number): RawOptions {
  return rawOptionsFrom(interaction.options.data, maxUploadBytes);
}
