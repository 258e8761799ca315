import { en } from '../../src/i18n/en';
import { ko } from '../../src/i18n/ko';
import { localeFrom, translator } from '../../src/i18n/translate';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogues', () => {
  it.each(Object.keys(en) as (keyof typeof en)[])('%s has the same placeholders in both languages', (key) => {
    expect(ko[key].trim()).not.toBe('');
    expect(placeholders(ko[key])).toEqual(placeholders(en[key]));
  });

  it('Korean command, subcommand and option names are valid Discord names (lower case, no spaces)', () => {
    const names = Object.entries(ko).filter(([key]) => /^(command|subcommand|option)\.[\w-]+\.name$/.test(key) && key !== 'command.classify-message.name');
    expect(names.map(([key]) => key)).toEqual(expect.arrayContaining(['subcommand.clear-queue.name', 'option.max_epochs.name']));
    for (const [, name] of names) expect(name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
  });
});

describe('translate', () => {
  it('chooses Korean for ko locales and English for all others', () => {
    expect(localeFrom('ko')).toBe('ko');
    expect(localeFrom('en-US')).toBe('en');
    expect(localeFrom('ja')).toBe('en');
    expect(localeFrom(undefined)).toBe('en');
  });

  it('fills placeholders and leaves a missing one visible', () => {
    const t = translator('en');
    expect(t('cancel.cancelled', { jobId: 4 })).toBe('Job #4 is cancelled.');
    expect(t('cancel.cancelled')).toBe('Job #{jobId} is cancelled.');
  });
});
