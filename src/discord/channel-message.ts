import type { Client, Message, SendableChannels } from 'discord.js';
import type { Answer } from '../commands/command';
import { isUnknownMessage } from './discord-errors';
import { messageBody, messageEditBody } from './message-payload';

export class ChannelUnavailableError extends Error {}

/** A channel the bot can post in, by id. */
export async function sendableChannel(client: Client, channelId: string | null): Promise<SendableChannels> {
  if (channelId === null) throw new ChannelUnavailableError('this answer has no channel to go to');
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new ChannelUnavailableError(`channel ${channelId} is not one the bot can post in`);
  return channel;
}

/**
 * One ordinary message of the bot in a channel, for answers that outlive an interaction: sent on
 * the first `show`, edited by the later ones (sent again if someone deleted it).
 */
export class ChannelMessage {
  private message: Message | null = null;

  constructor(private readonly channel: () => Promise<SendableChannels>) {}

  async show(answer: Answer): Promise<void> {
    if (this.message) {
      try {
        this.message = await this.message.edit(messageEditBody(answer));
        return;
      } catch (error) {
        if (!isUnknownMessage(error)) throw error;
      }
    }
    this.message = await (await this.channel()).send(messageBody(answer));
  }

  /** Another message in the same channel. */
  async send(answer: Answer): Promise<void> {
    await (await this.channel()).send(messageBody(answer));
  }
}
