import { z } from 'zod';
import type { AttachmentInput, CommandOptions, OptionDefinition, UserInput } from './command';
import type { OptionName } from './message-keys';

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
  return { definition: { ...definition, required: (presence.required ?? false) as Required }, parser };
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

export function stringOption(length: { minLength?: number; maxLength: number; autocomplete?: boolean }): OptionDeclaration<string, false> {
  const { minLength = 0, maxLength, autocomplete } = length;
  return declared({ type: 'string', minLength: length.minLength, maxLength, autocomplete }, {}, z.string().min(minLength).max(maxLength));
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

export function userOption(): OptionDeclaration<UserInput, false> {
  return declared({ type: 'user' }, {}, z.object({ id: z.string(), name: z.string() }));
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
