import { DiscordHttpError, discordErrors } from '../errors';
import { ChannelType, type RecordedChannel } from '../guild';
import type { RecordedMessage } from '../messages';
import { json, noContent, type Router } from '../router';
import { threadCreateSchema } from '../schemas/thread';
import { parseFormBody } from '../schemas/validate';
import { newSnowflake } from '../snowflake';
import type { World } from '../world';
import { createMessage, editMessage } from './message-writes';

/** Sends a gateway event to the bot if one is connected. */
export type Notify = (event: string, data: Record<string, unknown>) => void;

/** Channels, their messages, threads and pins, as a bot uses them with its token. */
export function addChannelRoutes(router: Router, world: World, notify: Notify): void {
  const { guild } = world;

  /** Channel routes cannot reach ephemeral messages, nor messages of another channel. */
  const channelMessage = (params: Record<string, string>): RecordedMessage => {
    world.channel(params.channel);
    const message = world.message(params.message);
    if (!message || message.channelId !== params.channel || message.deleted || message.ephemeral) {
      throw discordErrors.unknownMessage();
    }
    return message;
  };

  router.add('GET', '/channels/:channel', 'bot', ({ params }) => json(guild.channelJson(world.channel(params.channel))));

  router.add('GET', '/channels/:channel/messages/pins', 'bot', ({ params }) => {
    const pinned = visibleMessages(world, params.channel).filter((message) => message.pinned);
    return json({
      items: pinned.map((message) => ({ pinned_at: new Date().toISOString(), message: world.messageJson(message) })),
      has_more: false,
    });
  });
  router.add('GET', '/channels/:channel/pins', 'bot', ({ params }) =>
    json(visibleMessages(world, params.channel).filter((m) => m.pinned).map((m) => world.messageJson(m))),
  );

  router.add('GET', '/channels/:channel/messages', 'bot', ({ params, query }) => {
    const limit = Math.min(100, Number(query.get('limit') ?? 50));
    const newestFirst = visibleMessages(world, params.channel).reverse().slice(0, limit);
    return json(newestFirst.map((message) => world.messageJson(message)));
  });
  router.add('POST', '/channels/:channel/messages', 'bot', ({ params, body }) => {
    const message = createMessage(world, params.channel, world.botOrigin(), body);
    return json(world.messageJson(message));
  });

  router.add('GET', '/channels/:channel/messages/:message', 'bot', ({ params }) => json(world.messageJson(channelMessage(params))));
  router.add('PATCH', '/channels/:channel/messages/:message', 'bot', ({ params, body }) => {
    const message = channelMessage(params);
    if (message.authorId !== guild.bot.id) throw discordErrors.notAuthor();
    return editMessage(world, message, body);
  });
  router.add('DELETE', '/channels/:channel/messages/:message', 'bot', ({ params }) => {
    channelMessage(params).deleted = true;
    return noContent();
  });

  for (const pattern of ['/channels/:channel/pins/:message', '/channels/:channel/messages/pins/:message']) {
    router.add('PUT', pattern, 'bot', ({ params }) => {
      channelMessage(params).pinned = true;
      return noContent();
    });
    router.add('DELETE', pattern, 'bot', ({ params }) => {
      channelMessage(params).pinned = false;
      return noContent();
    });
  }

  router.add('POST', '/channels/:channel/threads', 'bot', ({ params, body }) => {
    const parent = textChannel(world, params.channel);
    const request = parseFormBody(threadCreateSchema, body.json);
    const thread = addThread(world, parent, {
      id: newSnowflake(),
      name: request.name,
      type: request.type ?? ChannelType.PrivateThread,
      autoArchiveDuration: request.auto_archive_duration,
    });
    notify('THREAD_CREATE', { ...guild.channelJson(thread), newly_created: true });
    return json(guild.channelJson(thread), undefined, 201);
  });
  router.add('POST', '/channels/:channel/messages/:message/threads', 'bot', ({ params, body }) => {
    const parent = textChannel(world, params.channel);
    const message = channelMessage(params);
    if (message.threadId !== undefined) throw discordErrors.threadAlreadyCreated();
    const request = parseFormBody(threadCreateSchema, body.json);
    // Discord gives a thread started from a message the id of that message.
    const thread = addThread(world, parent, {
      id: message.id,
      name: request.name,
      type: ChannelType.PublicThread,
      autoArchiveDuration: request.auto_archive_duration,
      starterMessageId: message.id,
    });
    message.threadId = thread.id;
    notify('THREAD_CREATE', { ...guild.channelJson(thread), newly_created: true });
    return json(guild.channelJson(thread), undefined, 201);
  });
}

function visibleMessages(world: World, channelId: string): RecordedMessage[] {
  world.channel(channelId);
  return world.channelMessages(channelId).filter((message) => !message.deleted && !message.ephemeral);
}

function textChannel(world: World, id: string): RecordedChannel {
  const channel = world.channel(id);
  if (channel.type !== ChannelType.GuildText) {
    throw new DiscordHttpError(400, 50024, 'Cannot execute action on this channel type');
  }
  return channel;
}

function addThread(
  world: World,
  parent: RecordedChannel,
  thread: Omit<RecordedChannel, 'parentId' | 'createdAt'>,
): RecordedChannel {
  const record: RecordedChannel = { ...thread, parentId: parent.id, createdAt: Date.now() };
  world.guild.channels.set(record.id, record);
  world.changed();
  return record;
}
