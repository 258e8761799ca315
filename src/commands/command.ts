import type { z } from 'zod';
import type { Locale, Translate } from '../i18n/translate';
import type { MessageKey } from '../i18n/translate';
import type { CommandKey, OptionName, SlashCommandKey, SubcommandName } from './message-keys';
import type { Services } from './services';

/**
 * What every command sees, whichever adapter (Discord or console) it was typed in. Only the
 * adapters know where a command came from.
 */
export interface CommandContext {
  user: { id: string; name: string };
  guildId: string | null;
  channelId: string | null;
  locale: Locale;
  t: Translate;
  isTeacher: boolean;
  services: Services;
  /** Where this answer lives, for the adapter to carry on in after a restart (stored with a job; opaque here). */
  replyRef?: unknown;
  /** The answer to the command: the first call answers, later calls replace that answer. */
  reply(answer: Answer): Promise<void>;
  /** A progress update of the answer; the adapter paces these and may skip some. */
  progress(answer: Answer): Promise<void>;
  /** An extra message after the answer. */
  followUp(answer: Answer): Promise<void>;
  /** Posts in the named thread of this channel, creating it on first use; returns the thread's id. */
  postInThread(name: string, answer: Answer, options?: { pin?: boolean; threadId?: string | null; editMessageId?: string | null }): Promise<ThreadPost>;
}

export interface ThreadPost {
  threadId: string;
  messageId: string;
}

export interface AnswerFile {
  name: string;
  data: Buffer;
  description?: string;
}

export interface AnswerEmbed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  /** The name of an attached file to show as the embed's image. */
  image?: string;
  footer?: string;
  color?: number;
}

export interface AnswerButton {
  customId: string;
  label: string;
  style: 'primary' | 'secondary' | 'success' | 'danger';
}

export interface Answer {
  content?: string;
  embeds?: AnswerEmbed[];
  files?: AnswerFile[];
  buttons?: AnswerButton[];
  /** Only the author sees it (Discord); errors about one's own options are ephemeral. */
  ephemeral?: boolean;
  /** The answer in one line, for a surface that shows only one (the console's updating line). */
  status?: string;
  /** The machine-readable answer printed by the console's --json mode. */
  data?: unknown;
}

export type OptionType = 'string' | 'integer' | 'number' | 'boolean' | 'attachment' | 'user';

/** An option as the adapters show it (Discord registers it, the console reads it); made by `declareOptions`. */
export interface OptionDefinition {
  /** snake_case; also the key of `option.<name>.name` and `.description` in the catalogues. */
  name: OptionName;
  type: OptionType;
  required: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  choices?: readonly (string | number)[];
  autocomplete?: boolean;
  /** The catalogue key of its description where `option.<name>.description` does not fit this command. */
  descriptionKey?: MessageKey;
}

/** A subcommand (`/teacher pause`): its name (`subcommand.<name>.name` in the catalogues) and its own options. */
export interface SubcommandDefinition {
  name: SubcommandName;
  options: readonly OptionDefinition[];
}

/**
 * A command's options: their definitions and the parser of their values, derived from one
 * declaration each. A command with subcommands has them instead of options of its own (Discord's
 * rule): its values are then the chosen subcommand and that subcommand's options.
 */
export interface CommandOptions<Values> {
  definitions: readonly OptionDefinition[];
  subcommands?: readonly SubcommandDefinition[];
  schema: z.ZodType<Values>;
}

/** An attachment as the command sees it: its declared facts, and a way to fetch its bytes. */
export interface AttachmentInput {
  name: string;
  size: number;
  contentType: string | null;
  fetch(): Promise<Uint8Array>;
}

/** Thrown by an attachment's fetch() when the file is bigger than the cap, by its declared size or by what arrived. */
export class AttachmentTooLargeError extends Error {
  constructor(
    readonly fileName: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`${fileName} is larger than ${maxBytes} bytes (${bytes} bytes or more)`);
    this.name = 'AttachmentTooLargeError';
  }
}

export interface UserInput {
  id: string;
  name: string;
}

/** An option's value as the adapter received it; a subcommand's value is its own options. */
export type RawOptionValue = string | number | boolean | AttachmentInput | UserInput | RawOptions;
export interface RawOptions {
  [name: string]: RawOptionValue;
}

/** The parsed values of a command's options. */
export type OptionValuesOf<Options> = Options extends CommandOptions<infer Values> ? Values : never;

export interface SlashCommand<Options extends CommandOptions<unknown> = CommandOptions<unknown>> {
  kind: 'slash';
  name: string;
  /** Catalogue key prefix: `command.<key>.name` / `.description`. */
  key: SlashCommandKey;
  options: Options;
  execute(ctx: CommandContext, options: OptionValuesOf<Options>): Promise<void>;
  /** Suggestions for `option` while it is typed, in `subcommand` when the command has subcommands. */
  autocomplete?(ctx: CommandContext, option: string, typed: string, subcommand: string | null): Promise<{ name: string; value: string }[]>;
}

/** A command from a message's context menu ("Apps" > "Classify clothing"). */
export interface MessageCommand {
  kind: 'message';
  name: string;
  key: CommandKey;
  execute(ctx: CommandContext, message: { id: string; attachments: AttachmentInput[] }): Promise<void>;
}

export type Command = SlashCommand | MessageCommand;
