import { en, type Catalogue } from './en';
import { ko } from './ko';

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

export type MessageKey = keyof Catalogue;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

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

/** The English and Korean texts of one key, for command localizations. */
export function bothLanguages(key: MessageKey): { en: string; ko: string } {
  return { en: en[key], ko: ko[key] };
}
