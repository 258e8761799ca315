import type { CLASS_NAMES } from '../experiments/results';
import type { MessageKey, Translate } from '../i18n/translate';

/** The sentence of each class, in the order of the labels (tsc checks there is one per class). */
const CLASS_NAME_KEYS = [
  'class.0',
  'class.1',
  'class.2',
  'class.3',
  'class.4',
  'class.5',
  'class.6',
  'class.7',
  'class.8',
  'class.9',
] as const satisfies readonly MessageKey[] & { length: (typeof CLASS_NAMES)['length'] };

/** The ten class names in the reader's language. */
export function classNames(t: Translate): string[] {
  return CLASS_NAME_KEYS.map((key) => t(key));
}
