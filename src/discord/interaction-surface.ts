import type { RepliableInteraction, SendableChannels } from 'discord.js';
import type { Answer } from '../commands/command';
import type { Logger } from '../commands/services';
import type { AnswerSurface } from './answer-surface';
import { ChannelMessage } from './channel-message';
import { isInteractionTokenGone, isUnknownMessage } from './discord-errors';
import { followUpBody, messageEditBody } from './message-payload';

/** Discord's lifetime of an interaction token. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** How long before the token dies the answer moves to a channel message: a tenth, at most a minute. */
export function switchMargin(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 10);
}

/** The message the answer is in now: the deferred reply, or a follow-up of a different visibility. */
type Current = { kind: 'original'; shown: boolean } | { kind: 'followup'; id: string };

/**
 * The answer to one interaction. It is acknowledged (deferred, publicly) on construction, before any
 * work, within Discord's 3 seconds. Answers edit the deferred reply; an ephemeral answer to a public
 * deferral replaces an unanswered "thinking…" with an ephemeral follow-up. Shortly before the token
 * dies (or when Discord says it has), the answer continues in an ordinary channel message, which
 * cannot be ephemeral: late answers are public rather than lost.
 */
export class InteractionSurface implements AnswerSurface {
  private readonly acknowledged: Promise<void>;
  private readonly switchAt: number;
  private tokenUsable = true;
  private current: Current = { kind: 'original', shown: false };
  private currentEphemeral = false;
  private readonly fallback: ChannelMessage;

  constructor(
    private readonly interaction: RepliableInteraction,
    channel: () => Promise<SendableChannels>,
    private readonly log: Logger,
    tokenLifetimeMs: number = INTERACTION_TOKEN_LIFETIME_MS,
  ) {
    this.switchAt = Date.now() + tokenLifetimeMs - switchMargin(tokenLifetimeMs);
    this.fallback = new ChannelMessage(channel);
    this.acknowledged = interaction.deferReply().then(
      () => undefined,
      (error: unknown) => this.loseToken('the interaction could not be acknowledged', error),
    );
  }

  async show(answer: Answer, kind: 'reply' | 'progress'): Promise<void> {
    await this.throughInteraction(
      () => this.showInInteraction(answer, kind),
      () => this.fallback.show(answer),
    );
  }

  async followUp(answer: Answer): Promise<void> {
    await this.throughInteraction(
      async () => {
        await this.interaction.followUp(followUpBody(answer));
      },
      () => this.fallback.send(answer),
    );
  }

  /** Uses the interaction while its token lives, else (or when Discord says it is gone) the channel. */
  private async throughInteraction(viaInteraction: () => Promise<void>, viaChannel: () => Promise<void>): Promise<void> {
    await this.acknowledged;
    if (this.tokenUsable && Date.now() >= this.switchAt) this.loseToken('the interaction token is about to expire');
    if (this.tokenUsable) {
      try {
        await viaInteraction();
        return;
      } catch (error) {
        if (!isInteractionTokenGone(error)) throw error;
        this.loseToken('Discord no longer accepts the interaction token', error);
      }
    }
    await viaChannel();
  }

  private loseToken(why: string, cause?: unknown): void {
    this.tokenUsable = false;
    const what = this.interaction.isCommand() ? `/${this.interaction.commandName}` : `interaction ${this.interaction.id}`;
    this.log.info(`${what}: ${why}; its answer continues in a channel message${cause instanceof Error ? ` (${cause.message})` : ''}`);
  }

  private async showInInteraction(answer: Answer, kind: 'reply' | 'progress'): Promise<void> {
    const ephemeral = kind === 'reply' ? answer.ephemeral === true : this.currentEphemeral;
    if (ephemeral === this.currentEphemeral) {
      await this.interaction.editReply({ ...messageEditBody(answer), message: this.current.kind === 'original' ? '@original' : this.current.id });
      if (this.current.kind === 'original') this.current.shown = true;
      return;
    }
    // Visibility is fixed when a message is created. Only a bare "thinking…" is removed; an answer
    // the user has seen stays, and the new one follows it.
    if (ephemeral && this.current.kind === 'original' && !this.current.shown) await this.deleteThinking();
    const message = await this.interaction.followUp(followUpBody({ ...answer, ephemeral }));
    this.current = { kind: 'followup', id: message.id };
    this.currentEphemeral = ephemeral;
  }

  private async deleteThinking(): Promise<void> {
    try {
      await this.interaction.deleteReply();
    } catch (error) {
      if (!isUnknownMessage(error)) throw error;
    }
  }
}
