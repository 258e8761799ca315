import type { MessageKey, Translate } from '../i18n/translate';

export function classNames(t: Translate): string[] {
  return Array.from({ length: 10 }, (_, index) => t(`class.${index}` as MessageKey));
}
