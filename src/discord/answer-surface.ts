import type { Answer, CommandContext } from '../commands/command';
import type { Logger } from '../logger';
import { PacedUpdates } from './paced-updates';

/** Where a command's answer is shown: the interaction's reply, or a channel message. */
export interface AnswerSurface {
  /** Shows the answer in place of the previous one; a progress update keeps the visibility. */
  show(answer: Answer, kind: 'reply' | 'progress'): Promise<void>;
  /** A message after the answer. */
  followUp(answer: Answer): Promise<void>;
}

/** At most one edit of a message per this many milliseconds (Discord allows about five per five seconds). */
export const PROGRESS_INTERVAL_MS = 2000;

export type ContextBase = Omit<CommandContext, 'reply' | 'progress' | 'followUp'>;

/**
 * A command context whose answers go to `surface`: replies in order and never lost, progress
 * coalesced and paced, both on one message with never two edits in flight.
 */
export function pacedContext(base: ContextBase, surface: AnswerSurface, log: Logger, intervalMs = PROGRESS_INTERVAL_MS): CommandContext {
  let answered = false;
  const edits = new PacedUpdates<{ answer: Answer; kind: 'reply' | 'progress' }>({
    send: ({ answer, kind }) => surface.show(answer, kind),
    intervalMs,
    onError: (error) => log.error('a progress update could not be shown', error),
  });
  const reply = (answer: Answer) => {
    answered = true;
    return edits.update({ answer, kind: 'reply' });
  };
  return {
    ...base,
    reply,
    async progress(answer) {
      edits.progress({ answer, kind: 'progress' });
    },
    async followUp(answer) {
      // A follow-up before any answer would take the place of the answer itself.
      if (!answered) return reply(answer);
      await edits.settled();
      await surface.followUp(answer);
    },
  };
}
