import { en, type Catalogue } from './en';
import { ko } from './ko';

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

export type MessageKey = keyof Catalogue;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** The `<part>` of every key written `<prefix><part><suffix>`, e.g. the option names of `option.<name>.name`. */
export type KeyPart<Prefix extends string, Suffix extends string> = {
  [Key in MessageKey]: Key extends `${Prefix}${infer Part}${Suffix}` ? Part : never;
}[MessageKey];

/** A sentence of the catalogues and what fills it, put into words late, in the reader's language. */
export interface Sentence {
  key: MessageKey;
  params?: Record<string, string | number | Sentence | readonly Sentence[]>;
}

const CATALOGUES: Record<Locale, Catalogue> = { en, ko };

/** Discord sends locales such as `ko` or `en-US`; Korean gets Korean, everything else English. */
export function localeFrom(discordLocale: string | null | undefined): Locale {
  return discordLocale?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Fills `{name}` placeholders; a missing parameter is left visible rather than silently blank. */
function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, params = {}) => fill(catalogue[key], params);
}

/** The words of a sentence. A list of sentences fills its placeholder one per line, each line once. */
export function say(t: Translate, sentence: Sentence): string {
  const params: Params = {};
  for (const [name, value] of Object.entries(sentence.params ?? {})) {
    if (typeof value !== 'object') params[name] = value;
    else params[name] = [...new Set('key' in value ? [say(t, value)] : value.map((part) => say(t, part)))].join('\n');
  }
  return t(sentence.key, params);
}

/** The English and Korean texts of one key, for command localizations. */
export function bothLanguages(key: MessageKey): { en: string; ko: string } {
  return { en: en[key], ko: ko[key] };
}
