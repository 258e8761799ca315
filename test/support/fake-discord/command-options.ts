import { attachmentJson, type StoredAttachment } from './attachments';
import type { RegisteredCommand } from './commands';
import type { FakeGuild, FakeUser } from './guild';
import { OptionType, type CommandOption } from './schemas/commands';

/** A value a test gives for an option; a user option takes a `FakeUser`. */
export type OptionValue = string | number | boolean | FakeUser;

/** What the Discord client would let a user type: the test asked for something impossible. */
export class ImpossibleInteractionError extends Error {
  override name = 'ImpossibleInteractionError';
}

export interface Invocation {
  command: RegisteredCommand;
  options: Record<string, OptionValue>;
  /** Attachment options, by option name, already stored by the fake. */
  attachments: Record<string, StoredAttachment>;
  subcommand?: string;
  subcommandGroup?: string;
  /** Autocomplete: the option being typed. Values are then partial, and nothing is required. */
  focused?: string;
}

interface ApiOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: ApiOption[];
}

export interface CommandData {
  options: ApiOption[];
  resolved?: Record<string, Record<string, unknown>>;
}

/**
 * Turns `{ epochs: 30, image: <file> }` into the typed options Discord sends (type 3 string,
 * 4 integer, 5 boolean, 6 user, 10 number, 11 attachment with `resolved.attachments`), using the
 * types, choices and bounds the bot registered. Whatever the Discord client would not let a user
 * send (an unknown option, a value outside the choices) throws instead.
 */
export function buildCommandData(invocation: Invocation, guild: FakeGuild): CommandData {
  const declared = declaredOptions(invocation);
  const given = { ...invocation.options, ...invocation.attachments };
  for (const name of Object.keys(given)) {
    if (!declared.some((option) => option.name === name)) {
      throw new ImpossibleInteractionError(`/${invocation.command.name} has no option "${name}"`);
    }
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  const options: ApiOption[] = [];
  for (const option of declared) {
    const value = given[option.name];
    const focused = invocation.focused === option.name;
    if (value === undefined) {
      if (option.required && invocation.focused === undefined) {
        throw new ImpossibleInteractionError(`/${invocation.command.name} needs option "${option.name}"`);
      }
      continue;
    }
    if (focused) {
      options.push({ name: option.name, type: option.type, value: String(value), focused: true });
      continue;
    }
    options.push({ name: option.name, type: option.type, value: typedValue(option, value, resolved, guild) });
  }
  return {
    options: wrapInSubcommand(invocation, options),
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}

function declaredOptions(invocation: Invocation): CommandOption[] {
  let options = invocation.command.options ?? [];
  const descend = (name: string | undefined, type: number): void => {
    if (name === undefined) return;
    const found = options.find((option) => option.name === name && option.type === type);
    if (!found) throw new ImpossibleInteractionError(`/${invocation.command.name} has no subcommand "${name}"`);
    options = found.options ?? [];
  };
  descend(invocation.subcommandGroup, OptionType.SubcommandGroup);
  descend(invocation.subcommand, OptionType.Subcommand);
  // The Discord client sends a command with subcommands only once one is chosen.
  const choices = options.filter((option) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup);
  if (choices.length > 0) {
    throw new ImpossibleInteractionError(`/${invocation.command.name} needs a subcommand: ${choices.map((option) => option.name).join(', ')}`);
  }
  return options;
}

function wrapInSubcommand(invocation: Invocation, options: ApiOption[]): ApiOption[] {
  if (invocation.subcommand === undefined) return options;
  // As Discord does, a subcommand given no options comes without an `options` list.
  const subcommand = { name: invocation.subcommand, type: OptionType.Subcommand, ...(options.length > 0 ? { options } : {}) };
  if (invocation.subcommandGroup === undefined) return [subcommand];
  return [{ name: invocation.subcommandGroup, type: OptionType.SubcommandGroup, options: [subcommand] }];
}

function typedValue(
  option: CommandOption,
  value: OptionValue | StoredAttachment,
  resolved: Record<string, Record<string, unknown>>,
  guild: FakeGuild,
): string | number | boolean {
  const fail = (why: string) => new ImpossibleInteractionError(`Option "${option.name}": ${why}`);
  switch (option.type) {
    case OptionType.String:
      if (typeof value !== 'string') throw fail('expects a string');
      checkLength(option, value, fail);
      checkChoices(option, value, fail);
      return value;
    case OptionType.Integer:
    case OptionType.Number:
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('expects a number');
      if (option.type === OptionType.Integer && !Number.isInteger(value)) throw fail('expects an integer');
      checkBounds(option, value, fail);
      checkChoices(option, value, fail);
      return value;
    case OptionType.Boolean:
      if (typeof value !== 'boolean') throw fail('expects a boolean');
      return value;
    case OptionType.User:
      if (!isFakeUser(value)) throw fail('expects a FakeUser');
      (resolved.users ??= {})[value.id] = guild.userJson(value);
      (resolved.members ??= {})[value.id] = withoutUser(guild.memberJson(value));
      return value.id;
    case OptionType.Attachment:
      if (!isStoredAttachment(value)) throw fail('expects a file in `attachments`');
      (resolved.attachments ??= {})[value.id] = { ...attachmentJson(value), ephemeral: true };
      return value.id;
    default:
      throw fail(`type ${option.type} is not supported by the fake`);
  }
}

type Fail = (why: string) => Error;

function checkLength(option: CommandOption, value: string, fail: Fail): void {
  if (option.min_length !== undefined && value.length < option.min_length) throw fail(`shorter than ${option.min_length}`);
  if (option.max_length !== undefined && value.length > option.max_length) throw fail(`longer than ${option.max_length}`);
}

function checkBounds(option: CommandOption, value: number, fail: Fail): void {
  const { min_value: min, max_value: max } = option;
  if (min !== undefined && value < min) throw fail(`below the minimum ${min}`);
  if (max !== undefined && value > max) throw fail(`above the maximum ${max}`);
}

function checkChoices(option: CommandOption, value: string | number, fail: Fail): void {
  if (option.choices?.length && !option.choices.some((choice) => choice.value === value)) {
    throw fail(`${JSON.stringify(value)} is not one of the choices`);
  }
}

function isFakeUser(value: unknown): value is FakeUser {
  return typeof value === 'object' && value !== null && 'username' in value && 'id' in value;
}

function isStoredAttachment(value: unknown): value is StoredAttachment {
  return typeof value === 'object' && value !== null && 'bytes' in value && 'url' in value;
}

/** Resolved members come without their user (it is in `resolved.users`). */
function withoutUser(member: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...member };
  delete rest.user;
  return rest;
}
