import type { Logger } from '../logger';
import { isInteractionTokenGone } from './discord-errors';

/** Discord's lifetime of an interaction token. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** How long before the token dies the answer moves to a channel message: a tenth, at most a minute. */
export function switchMargin(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 10);
}

/**
 * The time an interaction's token can be used for its answer: until shortly before it expires, or
 * until Discord says it is gone. After that the answer goes to the channel, and the log says why.
 */
export class TokenWindow {
  private usable = true;
  private readonly switchAt: number;

  constructor(
    private readonly what: string,
    createdAt: number,
    lifetimeMs: number,
    private readonly log: Logger,
  ) {
    this.switchAt = createdAt + lifetimeMs - switchMargin(lifetimeMs);
  }

  /** Answers through the interaction while its token lives, else (or when Discord says it is gone) through the channel. */
  async through(viaInteraction: () => Promise<void>, viaChannel: () => Promise<void>): Promise<void> {
    if (this.usable && Date.now() >= this.switchAt) this.close('the interaction token is about to expire');
    if (this.usable) {
      try {
        await viaInteraction();
        return;
      } catch (error) {
        if (!isInteractionTokenGone(error)) throw error;
        this.close('Discord no longer accepts the interaction token', error);
      }
    }
    await viaChannel();
  }

  close(why: string, cause?: unknown): void {
    if (!this.usable) return;
    this.usable = false;
    this.log.info(`${this.what}: ${why}; its answer continues in a channel message${cause instanceof Error ? ` (${cause.message})` : ''}`);
  }
}
