import type { z } from 'zod';
import type { MessageKey, Locale, Translate } from '../i18n/translate';
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
  /** The machine-readable answer printed by the console's --json mode. */
  data?: unknown;
}

export type OptionType = 'string' | 'integer' | 'number' | 'boolean' | 'attachment' | 'user';

export interface OptionDefinition {
  /** snake_case; also the key of `option.<name>.name` and `.description` in the catalogues. */
  name: string;
  type: OptionType;
  required?: boolean;
  min?: number;
  max?: number;
  choices?: readonly (string | number)[];
  autocomplete?: boolean;
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

export type RawOptionValue = string | number | boolean | AttachmentInput | UserInput;
export type RawOptions = Record<string, RawOptionValue>;

export interface SlashCommand<Options = unknown> {
  kind: 'slash';
  name: string;
  /** Catalogue key prefix: `command.<key>.name` / `.description`. */
  key: string;
  options: readonly OptionDefinition[];
  schema: z.ZodType<Options>;
  execute(ctx: CommandContext, options: Options): Promise<void>;
  autocomplete?(ctx: CommandContext, option: string, typed: string): Promise<{ name: string; value: string }[]>;
}

/** A command from a message's context menu ("Apps" > "Classify clothing"). */
export interface MessageCommand {
  kind: 'message';
  name: string;
  key: string;
  execute(ctx: CommandContext, message: { id: string; attachments: AttachmentInput[] }): Promise<void>;
}

export type Command = SlashCommand<any> | MessageCommand; // eslint-disable-line @typescript-eslint/no-explicit-any

export function commandName(key: string): MessageKey {
  return `command.${key}.name` as MessageKey;
}
