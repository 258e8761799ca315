import type { z } from 'zod';
import type { Sentence } from '../i18n/translate';
import type { CommandOptions, OptionDefinition, RawOptions } from './command';
import { refusal, refused, type Checked, type Refusal } from './refusal';

/** One polite line per bad option, from zod's issues (`optionOf` names the option of a field). */
export function optionIssues(issues: readonly z.core.$ZodIssue[], optionOf: (path: string) => string = (path) => path): Sentence[] {
  return issues.flatMap((issue): Sentence[] => {
    // The option is the last part of the path: a subcommand's options sit under its name.
    const option = optionOf(String(issue.path.at(-1) ?? ''));
    switch (issue.code) {
      case 'too_small':
        return [{ key: 'error.option.too_small', params: { option, minimum: String(issue.minimum) } }];
      case 'too_big':
        return [{ key: 'error.option.too_big', params: { option, maximum: String(issue.maximum) } }];
      case 'invalid_type':
        return [{ key: 'error.option.invalid_type', params: { option, expected: issue.expected } }];
      case 'unrecognized_keys':
        return issue.keys.map((key) => unknownOption(key));
      default:
        return [{ key: 'error.option.other', params: { option, message: issue.message } }];
    }
  });
}

function unknownOption(option: string): Sentence {
  return { key: 'error.unknown_option', params: { option } };
}

/** The refusal of options that need fixing, one line each. */
export function optionsRefusal(lines: readonly Sentence[]): Refusal {
  return refusal('invalid-options', 'error.options', { details: lines });
}

function unknownOptions(definitions: readonly OptionDefinition[], raw: RawOptions): string[] {
  const known = new Set<string>(definitions.map((option) => option.name));
  return Object.keys(raw).filter((name) => !known.has(name));
}

/**
 * What is wrong with the options' names: ones the command does not have, or for a command with
 * subcommands anything but exactly one of them (the subcommand's own options its schema checks).
 */
function optionsProblem(options: CommandOptions<unknown>, raw: RawOptions): Refusal | null {
  if (options.subcommands) {
    const names = options.subcommands.map((subcommand) => subcommand.name);
    const typed = Object.keys(raw);
    const oneSubcommand = typed.length === 1 && names.some((name) => name === typed[0]);
    return oneSubcommand ? null : refusal('invalid-options', 'error.choose_subcommand', { subcommands: names.join(', ') });
  }
  const unknown = unknownOptions(options.definitions, raw);
  return unknown.length > 0 ? optionsRefusal(unknown.map(unknownOption)) : null;
}

/** Checks a command's raw options against its declared options. */
export function parseOptions<Values>(options: CommandOptions<Values>, raw: RawOptions): Checked<Values> {
  const problem = optionsProblem(options, raw);
  if (problem) return refused(problem);
  const parsed = options.schema.safeParse(raw);
  if (!parsed.success) return refused(optionsRefusal(optionIssues(parsed.error.issues)));
  return { ok: true, value: parsed.data };
}
