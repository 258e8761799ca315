import type { Result } from '../result';
import { say, type MessageKey, type Sentence, type Translate } from '../i18n/translate';
import type { Answer } from './command';

/**
 * Why a command did not do what was asked: a code that scripts read (the console's --json) and
 * the sentence a person reads, put into words only when it is answered (`refusalAnswer`).
 */
export interface Refusal {
  code: string;
  why: Sentence;
  /** It concerns the whole class (the class model could not be trained), so everyone sees it. */
  visibleToAll?: boolean;
}

/** A value, or the refusal that says why there is none. */
export type Checked<T> = Result<{ value: T }, { refusal: Refusal }>;

export function refusal(code: string, key: MessageKey, params?: Sentence['params']): Refusal {
  return params === undefined ? { code, why: { key } } : { code, why: { key, params } };
}

export function refused(why: Refusal): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: why };
}

/** The answer that refuses: only its author sees it (unless it concerns everyone), and --json prints it as an error. */
export function refusalAnswer(t: Translate, why: Refusal): Answer {
  const message = say(t, why.why);
  return { content: message, ephemeral: !why.visibleToAll, data: { error: { code: why.code, message } } };
}
