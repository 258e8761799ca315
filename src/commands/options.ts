import type { z } from 'zod';
import type { Translate } from '../i18n/translate';
import type { OptionDefinition, RawOptions, SlashCommand } from './command';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Turns zod's issues into one polite, translated line per bad option. */
export function describeOptionIssues(issues: readonly z.core.$ZodIssue[], t: Translate, optionOf: (path: string) => string = (path) => path): string {
  const lines = issues.map((issue) => {
    const option = optionOf(String(issue.path[0] ?? ''));
    switch (issue.code) {
      case 'too_small':
        return t('error.option.too_small', { option, minimum: String(issue.minimum) });
      case 'too_big':
        return t('error.option.too_big', { option, maximum: String(issue.maximum) });
      case 'invalid_type':
        return t('error.option.invalid_type', { option, expected: issue.expected });
      case 'unrecognized_keys':
        return issue.keys.map((key) => t('error.unknown_option', { option: key })).join('\n');
      default:
        return t('error.option.other', { option, message: issue.message });
    }
  });
  return t('error.options', { details: [...new Set(lines)].join('\n') });
}

function unknownOptions(definitions: readonly OptionDefinition[], raw: RawOptions): string[] {
  const known = new Set(definitions.map((option) => option.name));
  return Object.keys(raw).filter((name) => !known.has(name));
}

/** Checks a command's raw options against its definition and zod schema. */
export function parseOptions<T>(command: SlashCommand<T>, raw: RawOptions, t: Translate): Parsed<T> {
  const unknown = unknownOptions(command.options, raw);
  if (unknown.length > 0) {
    return { ok: false, message: t('error.options', { details: unknown.map((option) => t('error.unknown_option', { option })).join('\n') }) };
  }
  const parsed = command.schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: describeOptionIssues(parsed.error.issues, t) };
  return { ok: true, value: parsed.data };
}
