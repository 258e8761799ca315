import { z } from 'zod';
import type { MessageKey } from '../i18n/translate';
import type { AttachmentInput, CommandOptions, OptionDefinition, OptionValuesOf, UserInput } from './command';
import type { OptionName, SubcommandName } from './message-keys';

/**
 * One option, declared once: how the adapters show and bound it (`definition`) and the zod parser
 * of its value, both made from the same fields by the functions below.
 */
export interface OptionDeclaration<Value, Required extends boolean = boolean> {
  definition: Omit<OptionDefinition, 'name' | 'required'> & { required: Required };
  parser: z.ZodType<Value>;
}

type AnyDeclaration = OptionDeclaration<unknown>;

interface Presence<Required extends boolean> {
  required?: Required;
  /** The description's catalogue key, where the option's usual one does not fit this command. */
  description?: MessageKey;
}

interface Bounds<Required extends boolean> extends Presence<Required> {
  min: number;
  max?: number;
}

function declared<Value, Required extends boolean>(
  definition: Omit<OptionDefinition, 'name' | 'required'>,
  presence: Presence<Required>,
  parser: z.ZodType<Value>,
): OptionDeclaration<Value, Required> {
  const described = presence.description === undefined ? definition : { ...definition, descriptionKey: presence.description };
  return { definition: { ...described, required: (presence.required ?? false) as Required }, parser };
}

export function integerOption<Required extends boolean = false>(bounds: Bounds<Required>): OptionDeclaration<number, Required> {
  const atLeast = z.number().int().min(bounds.min);
  return declared({ type: 'integer', min: bounds.min, max: bounds.max }, bounds, bounds.max === undefined ? atLeast : atLeast.max(bounds.max));
}

export function numberOption(bounds: { min: number; max: number }): OptionDeclaration<number, false> {
  return declared({ type: 'number', min: bounds.min, max: bounds.max }, {}, z.number().min(bounds.min).max(bounds.max));
}

export function booleanOption(): OptionDeclaration<boolean, false> {
  return declared({ type: 'boolean' }, {}, z.boolean());
}

export function stringOption<Required extends boolean = false>(
  length: Presence<Required> & { minLength?: number; maxLength: number; autocomplete?: boolean },
): OptionDeclaration<string, Required> {
  const { minLength = 0, maxLength, autocomplete } = length;
  return declared({ type: 'string', minLength: length.minLength, maxLength, autocomplete }, length, z.string().min(minLength).max(maxLength));
}

/** A string from a fixed list, which Discord offers as choices. */
export function choiceOption<const Choice extends string>(choices: readonly Choice[]): OptionDeclaration<Choice, false> {
  return declared({ type: 'string', choices }, {}, z.enum(choices));
}

export function attachmentOption<Required extends boolean = false>(presence: Presence<Required>): OptionDeclaration<AttachmentInput, Required> {
  const attachment = z.custom<AttachmentInput>(
    (value) => typeof value === 'object' && value !== null && 'fetch' in value && 'size' in value && 'name' in value,
    'an attached picture',
  );
  return declared({ type: 'attachment' }, presence, attachment);
}

export function userOption(presence: Presence<false> = {}): OptionDeclaration<UserInput, false> {
  return declared({ type: 'user' }, presence, z.object({ id: z.string(), name: z.string() }));
}

/**
 * Every key must be an option name with its sentences in the catalogues, and every value a
 * declaration (checked by its `parser` and `definition` alone, so that a declaration keeps its
 * own `required`).
 */
export type OptionDeclarations<Declarations> = {
  [Name in keyof Declarations]: Name extends OptionName ? { definition: object; parser: z.ZodType } : never;
};

/** The parsed options: a required option is always there, an optional one may be missing. */
export type OptionValues<Declarations> = {
  [Name in keyof Declarations as Declarations[Name] extends OptionDeclaration<unknown, true> ? Name : never]: Declarations[Name] extends OptionDeclaration<infer Value> ? Value : never;
} & {
  [Name in keyof Declarations as Declarations[Name] extends OptionDeclaration<unknown, true> ? never : Name]?: Declarations[Name] extends OptionDeclaration<infer Value> ? Value : never;
};

/**
 * A command's options from their declarations, in order: what Discord registers and the console
 * reads, and the strict zod schema of the values, so that the two cannot disagree.
 */
export function declareOptions<Declarations extends OptionDeclarations<Declarations>>(declarations: Declarations): CommandOptions<OptionValues<Declarations>> {
  const entries = Object.entries(declarations) as [OptionName, AnyDeclaration][];
  const shape = Object.fromEntries(entries.map(([name, { definition, parser }]) => [name, definition.required ? parser : parser.optional()]));
  return {
    definitions: entries.map(([name, { definition }]) => ({ name, ...definition })),
    // The shape above is OptionValues<Declarations>, field by field; zod cannot see through the mapping.
    schema: z.object(shape).strict() as unknown as z.ZodType<OptionValues<Declarations>>,
  };
}

/** Every key must be a subcommand name with its sentences in the catalogues, and every value its declared options. */
export type SubcommandDeclarations<Subcommands> = {
  [Name in keyof Subcommands]: Name extends SubcommandName ? CommandOptions<unknown> : never;
};

/** The chosen subcommand and its parsed options, e.g. `{ subcommand: 'limits', options: { max_epochs: 10 } }`. */
export type SubcommandChoice<Subcommands> = {
  [Name in keyof Subcommands]: { subcommand: Name; options: OptionValuesOf<Subcommands[Name]> };
}[keyof Subcommands];

/**
 * A command's subcommands from their declared options, in order. The raw values hold one
 * subcommand, by name, with its own options (as Discord nests them); the parsed value names the
 * subcommand and carries its options, so that a handler can switch on it.
 */
export function declareSubcommands<Subcommands extends SubcommandDeclarations<Subcommands>>(subcommands: Subcommands): CommandOptions<SubcommandChoice<Subcommands>> {
  const entries = Object.entries(subcommands) as [SubcommandName, CommandOptions<unknown>][];
  const shape = Object.fromEntries(entries.map(([name, options]) => [name, options.schema.optional()]));
  const schema = z
    .object(shape)
    .strict()
    .transform((chosen) => {
      const [subcommand, options] = Object.entries(chosen)[0] ?? [];
      return { subcommand, options };
    });
  return {
    definitions: [],
    subcommands: entries.map(([name, options]) => ({ name, options: options.definitions })),
    // The transform gives SubcommandChoice<Subcommands> once parseOptions has checked that exactly one subcommand came.
    schema: schema as unknown as z.ZodType<SubcommandChoice<Subcommands>>,
  };
}
