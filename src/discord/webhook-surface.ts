import type { InteractionWebhook } from 'discord.js';
import type { Answer } from '../commands/command';
import type { AnswerSurface } from './answer-surface';
import type { ChannelMessage } from './channel-message';
import { isUnknownMessage } from './discord-errors';
import { messageBody, messageEditBody } from './message-payload';
import type { TokenWindow } from './token-window';

/**
 * The answer to an interaction from before a restart of the bot: its first message is edited
 * through the interaction's webhook while the token lives; after that, or when the student
 * deleted that message, the answer continues in one channel message.
 */
export class WebhookSurface implements AnswerSurface {
  constructor(
    private readonly webhook: InteractionWebhook,
    private readonly token: TokenWindow,
    private readonly fallback: ChannelMessage,
  ) {}

  show(answer: Answer): Promise<void> {
    return this.token.through(
      async () => {
        try {
          await this.webhook.editMessage('@original', messageEditBody(answer));
        } catch (error) {
          if (!isUnknownMessage(error)) throw error;
          await this.fallback.show(answer);
        }
      },
      () => this.fallback.show(answer),
    );
  }

  followUp(answer: Answer): Promise<void> {
    return this.token.through(
      async () => {
        await this.webhook.send(messageBody(answer));
      },
      () => this.fallback.send(answer),
    );
  }
}
