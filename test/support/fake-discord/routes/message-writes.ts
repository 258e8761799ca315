import type { MessageOrigin, RecordedMessage } from '../messages';
import type { RequestBody } from '../request-body';
import { json, type Reply } from '../router';
import { messagePayloadSchema } from '../schemas/message';
import { parseFormBody } from '../schemas/validate';
import type { World } from '../world';

/** Creates a message from a request body; nothing is stored if Discord would refuse it. */
export function createMessage(world: World, channelId: string, origin: MessageOrigin, body: RequestBody): RecordedMessage {
  const payload = parseFormBody(messagePayloadSchema, body.json ?? {});
  const message = world.newMessage(channelId, origin);
  message.apply('create', payload, body.files, world.attachments);
  world.addMessage(message);
  return message;
}

/**
 * Edits a message, counting the edit against the per-message rate limit first (as Discord does,
 * whatever the route: webhook or channel). A refusal is a 429 with Discord's body and headers.
 */
export function editMessage(world: World, message: RecordedMessage, body: RequestBody): Reply {
  const decision = world.editRateLimit.take(message.id);
  if (!decision.allowed) {
    world.stats.rateLimited += 1;
    return { status: 429, headers: decision.headers, body: decision.body };
  }
  const payload = parseFormBody(messagePayloadSchema, body.json ?? {});
  message.apply('edit', payload, body.files, world.attachments);
  return json(world.messageJson(message), world.options.advertiseRateLimits ? decision.headers : undefined);
}
