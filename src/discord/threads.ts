import { ChannelType, type AnyThreadChannel, type Client, type Message, type NewsChannel, type TextChannel } from 'discord.js';
import type { Answer, ThreadPost } from '../commands/command';
import { ChannelUnavailableError } from './channel-message';
import { isUnknownChannel, isUnknownMessage } from './discord-errors';
import { messageBody, messageEditBody, NO_MENTIONS } from './message-payload';

export interface ThreadPostOptions {
  pin?: boolean;
  threadId?: string | null;
  editMessageId?: string | null;
}

/** The text channel threads hang from: the channel itself, or the parent of a thread. */
async function threadParent(client: Client, channelId: string | null): Promise<TextChannel | NewsChannel> {
  if (channelId === null) throw new ChannelUnavailableError('threads need a server channel');
  const channel = await client.channels.fetch(channelId);
  const parent = channel?.isThread() ? channel.parent : channel;
  if (parent?.type === ChannelType.GuildText || parent?.type === ChannelType.GuildAnnouncement) return parent;
  throw new ChannelUnavailableError(`channel ${channelId} cannot hold threads`);
}

/** A thread we were told about, if it still exists. */
async function knownThread(client: Client, threadId: string): Promise<AnyThreadChannel | null> {
  try {
    const channel = await client.channels.fetch(threadId);
    return channel?.isThread() ? channel : null;
  } catch (error) {
    if (isUnknownChannel(error)) return null;
    throw error;
  }
}

/** A public thread with this name, started from a short message in the channel that names it. */
async function startThread(parent: TextChannel | NewsChannel, name: string): Promise<AnyThreadChannel> {
  const starter = await parent.send({ content: name, allowedMentions: NO_MENTIONS });
  return starter.startThread({ name });
}

async function postOrEdit(thread: AnyThreadChannel, answer: Answer, editMessageId: string | null | undefined): Promise<Message> {
  if (editMessageId) {
    try {
      return await thread.messages.edit(editMessageId, messageEditBody(answer));
    } catch (error) {
      if (!isUnknownMessage(error)) throw error;
    }
  }
  return thread.send(messageBody(answer));
}

/**
 * Posts in the thread given by id (if it still exists), else in the channel's thread of that name,
 * created on first use; edits `editMessageId` instead when given, and pins when asked.
 */
export async function postInThread(client: Client, channelId: string | null, name: string, answer: Answer, options: ThreadPostOptions = {}): Promise<ThreadPost> {
  const parent = await threadParent(client, channelId);
  const thread =
    (options.threadId ? await knownThread(client, options.threadId) : null) ??
    parent.threads.cache.find((candidate) => candidate.name === name && !candidate.archived) ??
    (await startThread(parent, name));
  const message = await postOrEdit(thread, answer, options.editMessageId);
  if (options.pin && !message.pinned) await message.pin();
  return { threadId: thread.id, messageId: message.id };
}
