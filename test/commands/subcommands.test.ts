import { checkCommandModule, CommandModuleError } from '../../commands';
import type { SlashCommand } from '../../src/commands/command';
import { booleanOption, declareOptions, declareSubcommands, integerOption, stringOption } from '../../src/commands/option-declarations';
import { parseOptions } from '../../src/commands/options';
import { refusalAnswer } from '../../src/commands/refusal';
import { translator } from '../../src/i18n/translate';

const en = translator('en');
const ko = translator('ko');

const options = declareSubcommands({
  pause: declareOptions({}),
  limits: declareOptions({ max_epochs: integerOption({ min: 1, max: 1000 }), reset: booleanOption() }),
  remove: declareOptions({ run: stringOption({ required: true, maxLength: 100 }) }),
});

const refusalText = (raw: Parameters<typeof parseOptions>[1], t = en) => {
  const parsed = parseOptions(options, raw);
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed.value)}`);
  return refusalAnswer(t, parsed.refusal).content;
};

describe('subcommands', () => {
  it('parse into the chosen subcommand and its own options', () => {
    expect(parseOptions(options, { limits: { max_epochs: 10 } })).toEqual({ ok: true, value: { subcommand: 'limits', options: { max_epochs: 10 } } });
    expect(parseOptions(options, { pause: {} })).toEqual({ ok: true, value: { subcommand: 'pause', options: {} } });
  });

  it('declare each subcommand with its options, for the adapters to register and read', () => {
    expect(options.definitions).toEqual([]);
    expect(options.subcommands).toEqual([
      { name: 'pause', options: [] },
      { name: 'limits', options: [expect.objectContaining({ name: 'max_epochs', type: 'integer', min: 1, max: 1000 }), expect.objectContaining({ name: 'reset', type: 'boolean' })] },
      { name: 'remove', options: [expect.objectContaining({ name: 'run', type: 'string', required: true })] },
    ]);
  });

  it('need exactly one subcommand, and say which there are, in the user’s language', () => {
    expect(refusalText({})).toBe(en('error.choose_subcommand', { subcommands: 'pause, limits, remove' }));
    expect(refusalText({ pause: {}, limits: {} }, ko)).toBe(ko('error.choose_subcommand', { subcommands: 'pause, limits, remove' }));
    expect(refusalText({ fly: {} })).toBe(en('error.choose_subcommand', { subcommands: 'pause, limits, remove' }));
  });

  it('refuse a subcommand’s bad or unknown option, naming the option itself', () => {
    expect(refusalText({ limits: { max_epochs: 0 } })).toContain(en('error.option.too_small', { option: 'max_epochs', minimum: 1 }));
    expect(refusalText({ limits: { colour: 'red' } })).toContain(en('error.unknown_option', { option: 'colour' }));
    expect(refusalText({ remove: {} })).toContain('`run`');
  });
});

describe('the command module check', () => {
  const module = (commandOptions: SlashCommand['options']) => ({ kind: 'slash', name: 'teacher', key: 'teacher', options: commandOptions, execute: async () => undefined });

  it('accepts a command with subcommands', () => {
    expect(checkCommandModule('teacher.ts', module(options)).name).toBe('teacher');
  });

  it('refuses a command with both subcommands and options of its own (Discord’s rule)', () => {
    const mixed = { ...options, definitions: declareOptions({ reset: booleanOption() }).definitions };
    expect(() => checkCommandModule('teacher.ts', module(mixed))).toThrow(/subcommands or options of its own/);
  });

  it('refuses a subcommand whose required option follows an optional one', () => {
    const badOrder = declareSubcommands({ remove: declareOptions({ reset: booleanOption(), run: stringOption({ required: true, maxLength: 100 }) }) });
    expect(() => checkCommandModule('teacher.ts', module(badOrder))).toThrow(CommandModuleError);
  });
});
