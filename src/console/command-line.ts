import fs from 'node:fs';
import path from 'node:path';
import type { AttachmentInput, Command, OptionDefinition, RawOptions, RawOptionValue } from '../commands/command';
import type { Translate } from '../i18n/translate';
import type { Result } from '../result';

/** A typed line, or what is wrong with it in the user's words (the console is an adapter: it words its own refusals). */
export type ParsedLine = Result<{ command: Command; options: RawOptions }, { message: string }>;

/** Splits `/train epochs:3 name:"a b"` into words, keeping quoted parts together. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /(?:[^\s"]+|"[^"]*")+/g;
  for (const match of line.matchAll(pattern)) words.push(match[0].replace(/"/g, ''));
  return words;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

/** A file path typed for an attachment option, read only when the command fetches it. */
function fileAttachment(file: string): AttachmentInput | null {
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) return null;
  return {
    name: path.basename(resolved),
    size: fs.statSync(resolved).size,
    contentType: MIME_BY_EXTENSION[path.extname(resolved).toLowerCase()] ?? null,
    fetch: async () => fs.promises.readFile(resolved),
  };
}

/** Converts the typed text of one option to the type Discord would have sent. */
function typedValue(definition: OptionDefinition, text: string, t: Translate): Result<{ value: RawOptionValue }, { message: string }> {
  const invalid = { ok: false as const, message: t('error.option.invalid_type', { option: definition.name, expected: definition.type }) };
  const ok = (value: RawOptionValue) => ({ ok: true as const, value });
  switch (definition.type) {
    case 'integer':
      return /^-?\d+$/.test(text) ? ok(Number(text)) : invalid;
    case 'number':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? ok(Number(text)) : invalid;
    case 'boolean':
      if (/^(true|yes|on|1)$/i.test(text)) return ok(true);
      if (/^(false|no|off|0)$/i.test(text)) return ok(false);
      return invalid;
    case 'attachment': {
      const attachment = fileAttachment(text);
      return attachment ? ok(attachment) : { ok: false, message: t('error.option.other', { option: definition.name, message: `${text}: no such file` }) };
    }
    case 'user':
      return ok({ id: text, name: text });
    case 'string':
      return ok(text);
  }
}

/** The typed words of one command's (or subcommand's) options: `name:value`, or bare words in declared order. */
function parseWords(words: readonly string[], definitions: readonly OptionDefinition[], t: Translate): Result<{ options: RawOptions }, { message: string }> {
  const options: RawOptions = {};
  const problems: string[] = [];
  words.forEach((word, position) => {
    const separator = word.indexOf(':');
    const [optionName, text] = separator > 0 ? [word.slice(0, separator), word.slice(separator + 1)] : [definitions[position]?.name ?? word, word];
    const definition = definitions.find((option) => option.name === optionName);
    if (!definition) {
      problems.push(t('error.unknown_option', { option: optionName }));
      return;
    }
    const value = typedValue(definition, text, t);
    if (value.ok) options[optionName] = value.value;
    else problems.push(value.message);
  });
  if (problems.length > 0) return { ok: false, message: t('error.options', { details: problems.join('\n') }) };
  return { ok: true, options };
}

/**
 * Parses a typed command line the way Discord would have delivered it: `/exercise 3` puts the
 * bare word in the first option; `name:value` sets a named option. A command with subcommands
 * takes the subcommand first: `/teacher limits max_epochs:10`.
 */
export function parseCommandLine(line: string, commands: readonly Command[], t: Translate): ParsedLine {
  const [head, ...rest] = splitWords(line.trim());
  const name = (head ?? '').replace(/^\//, '');
  const command = commands.find((candidate) => candidate.kind === 'slash' && candidate.name === name);
  if (!command || command.kind !== 'slash') return { ok: false, message: t('error.unknown_command', { name: name || line }) };
  const { subcommands } = command.options;
  if (!subcommands) {
    const parsed = parseWords(rest, command.options.definitions, t);
    return parsed.ok ? { ok: true, command, options: parsed.options } : parsed;
  }
  const [chosen, ...words] = rest;
  const subcommand = subcommands.find((candidate) => candidate.name === chosen);
  if (!subcommand) return { ok: false, message: t('error.choose_subcommand', { subcommands: subcommands.map((candidate) => candidate.name).join(', ') }) };
  const parsed = parseWords(words, subcommand.options, t);
  return parsed.ok ? { ok: true, command, options: { [subcommand.name]: parsed.options } } : parsed;
}
