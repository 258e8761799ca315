import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Command, OptionDefinition } from '../src/commands/command';

/** The shape every command module's default export must have; a malformed module is refused. */
const optionSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,32}$/),
  type: z.enum(['string', 'integer', 'number', 'boolean', 'attachment', 'user']),
  required: z.boolean(),
  min: z.number().optional(),
  max: z.number().optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).optional(),
  choices: z.array(z.union([z.string(), z.number()])).max(25).optional(),
  autocomplete: z.boolean().optional(),
  descriptionKey: z.string().optional(),
});

/** A subcommand holds options, never subcommands of its own; its name may have a hyphen, like a command's. */
const subcommandSchema = z.object({
  name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
  options: z.array(optionSchema).max(25),
});

const commandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('slash'),
    name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
    key: z.string(),
    options: z
      .object({
        definitions: z.array(optionSchema).max(25),
        subcommands: z.array(subcommandSchema).min(1).max(25).optional(),
        schema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'a zod schema'),
      })
      .refine((options) => !options.subcommands || options.definitions.length === 0, 'a command has subcommands or options of its own, not both (Discord’s rule)'),
    execute: z.function(),
    autocomplete: z.function().optional(),
  }),
  z.object({ kind: z.literal('message'), name: z.string().min(1).max(32), key: z.string(), execute: z.function() }),
]);

export class CommandModuleError extends Error {}

function requiredFirst(definitions: readonly OptionDefinition[]): boolean {
  const firstOptional = definitions.findIndex((option) => !option.required);
  return firstOptional < 0 || !definitions.slice(firstOptional).some((option) => option.required);
}

/** Checks one module's default export; throws naming the file and what is wrong. */
export function checkCommandModule(file: string, exported: unknown): Command {
  const parsed = commandSchema.safeParse(exported);
  if (!parsed.success) throw new CommandModuleError(`${file} is not a valid command module: ${z.prettifyError(parsed.error)}`);
  const command = exported as Command;
  if (command.kind === 'slash') {
    const optionLists = [command.options.definitions, ...(command.options.subcommands ?? []).map((subcommand) => subcommand.options)];
    if (!optionLists.every(requiredFirst)) {
      throw new CommandModuleError(`${file}: required options must come before optional ones (Discord's rule)`);
    }
  }
  return command;
}

/** Loads every command module in this folder (one file per command). */
export function loadCommands(folder: string = __dirname): Command[] {
  const files = fs
    .readdirSync(folder)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts') && !file.startsWith('index.'))
    .sort();
  const commands = files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(folder, file)) as { default?: unknown };
    return checkCommandModule(file, module.default);
  });
  const names = commands.map((command) => command.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new CommandModuleError(`two command modules are named ${duplicate}`);
  return commands;
}
