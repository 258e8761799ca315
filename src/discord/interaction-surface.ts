import type { RepliableInteraction, SendableChannels } from 'discord.js';
import type { Answer } from '../commands/command';
import type { Logger } from '../logger';
import type { AnswerSurface } from './answer-surface';
import { ChannelMessage } from './channel-message';
import { isInteractionTokenGone, isUnknownMessage } from './discord-errors';
import { followUpBody, messageEditBody } from './message-payload';
import { INTERACTION_TOKEN_LIFETIME_MS, TokenWindow } from './token-window';

/**
 * How long an answer may take before the interaction is deferred ("thinking…"): an answer decided
 * at once is the first response itself, with its own visibility, and the deferral still comes
 * well inside Discord's 3 seconds.
 */
export const DEFER_AFTER_MS = 1000;

/** The message the answer is in now: the first response, or a follow-up of a different visibility. */
type Current = { kind: 'original'; shown: boolean } | { kind: 'followup'; id: string };

/**
 * The answer to one interaction. An answer given within DEFER_AFTER_MS is sent as the first
 * response, so a refusal is private from the start and classmates see nothing; otherwise the
 * interaction is deferred (publicly) and answers edit the deferred reply, an ephemeral answer
 * replacing an unanswered "thinking…" with an ephemeral follow-up. Shortly before the token dies
 * (or when Discord says it has), the answer continues in an ordinary channel message, which cannot
 * be ephemeral: late answers are public rather than lost.
 */
export class InteractionSurface implements AnswerSurface {
  private readonly token: TokenWindow;
  private readonly deferTimer: NodeJS.Timeout;
  /** The first response (a reply or a deferral), once it was started. */
  private acknowledged: Promise<void> | null = null;
  private current: Current = { kind: 'original', shown: false };
  private currentEphemeral = false;
  private readonly fallback: ChannelMessage;

  constructor(
    private readonly interaction: RepliableInteraction,
    channel: () => Promise<SendableChannels>,
    log: Logger,
    tokenLifetimeMs: number = INTERACTION_TOKEN_LIFETIME_MS,
  ) {
    const what = interaction.isCommand() ? `/${interaction.commandName}` : `interaction ${interaction.id}`;
    this.token = new TokenWindow(what, Date.now(), tokenLifetimeMs, log);
    this.fallback = new ChannelMessage(channel);
    this.deferTimer = setTimeout(() => void this.defer(), DEFER_AFTER_MS);
  }

  async show(answer: Answer, kind: 'reply' | 'progress'): Promise<void> {
    if (!this.acknowledged) return this.answerFirst(answer);
    await this.acknowledged;
    await this.token.through(
      () => this.showInInteraction(answer, kind),
      () => this.fallback.show(answer),
    );
  }

  async followUp(answer: Answer): Promise<void> {
    if (!this.acknowledged) return this.answerFirst(answer);
    await this.acknowledged;
    await this.token.through(
      async () => {
        await this.interaction.followUp(followUpBody(answer));
      },
      () => this.fallback.send(answer),
    );
  }

  /** The answer is the first response: sent with its own visibility, no "thinking…" before it. */
  private async answerFirst(answer: Answer): Promise<void> {
    clearTimeout(this.deferTimer);
    const ephemeral = answer.ephemeral === true;
    const replied = this.interaction.reply(followUpBody(answer));
    this.acknowledged = replied.then(
      () => {
        this.current = { kind: 'original', shown: true };
        this.currentEphemeral = ephemeral;
      },
      (error: unknown) => {
        if (isInteractionTokenGone(error)) this.acknowledgementFailed(error);
      },
    );
    try {
      await replied;
    } catch (error) {
      if (!isInteractionTokenGone(error)) {
        // Discord refused this answer, so nothing acknowledged the interaction: defer now, and the
        // next answer (the apology) takes the place of the "thinking…".
        this.acknowledged = null;
        void this.defer();
        throw error;
      }
      await this.fallback.show(answer);
    }
  }

  private defer(): Promise<void> {
    this.acknowledged ??= this.interaction.deferReply().then(
      () => undefined,
      (error: unknown) => this.acknowledgementFailed(error),
    );
    return this.acknowledged;
  }

  private acknowledgementFailed(error: unknown): void {
    this.token.close('the interaction could not be acknowledged', error);
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
