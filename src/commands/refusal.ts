import type { Answer } from './command';

/** A polite refusal: only its author sees it, and the console's --json prints it as an error. */
export function refusal(code: string, message: string): Answer {
  return { content: message, ephemeral: true, data: { error: { code, message } } };
}
