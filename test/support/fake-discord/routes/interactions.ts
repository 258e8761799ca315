import { discordErrors } from '../errors';
import { InteractionType, type FakeInteraction } from '../interactions';
import { MessageFlag } from '../schemas/message';
import type { MessageOrigin, RecordedMessage } from '../messages';
import type { RequestBody } from '../request-body';
import { json, noContent, type Reply, type Router } from '../router';
import { CallbackType, interactionCallbackSchema, type InteractionCallback } from '../schemas/interaction-callback';
import { parseFormBody } from '../schemas/validate';
import type { World } from '../world';
import { createMessage, editMessage } from './message-writes';

/** Which answers Discord accepts for which kind of interaction. */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [InteractionType.ApplicationCommand]: [CallbackType.ChannelMessage, CallbackType.DeferredChannelMessage, CallbackType.Modal],
  [InteractionType.MessageComponent]: [
    CallbackType.ChannelMessage,
    CallbackType.DeferredChannelMessage,
    CallbackType.DeferredUpdateMessage,
    CallbackType.UpdateMessage,
    CallbackType.Modal,
  ],
  [InteractionType.Autocomplete]: [CallbackType.AutocompleteResult],
  [InteractionType.ModalSubmit]: [
    CallbackType.ChannelMessage,
    CallbackType.DeferredChannelMessage,
    CallbackType.DeferredUpdateMessage,
    CallbackType.UpdateMessage,
  ],
};

/**
 * The interaction routes and the rules they enforce: one callback per interaction, within
 * `ackTimeoutMs` of the dispatch; webhook calls (edits, follow-ups) only after it and only while
 * the token lives (`tokenLifetimeMs`).
 */
export function addInteractionRoutes(router: Router, world: World): void {
  router.add('POST', '/interactions/:id/:token/callback', 'none', ({ params, query, body }) => {
    const interaction = world.interaction(params.id);
    if (!interaction || interaction.token !== params.token) throw discordErrors.unknownInteraction();
    if (interaction.acknowledged) throw discordErrors.alreadyAcknowledged();
    const elapsedMs = Date.now() - interaction.createdAt;
    if (elapsedMs > world.options.ackTimeoutMs) throw discordErrors.unknownInteraction();
    const callback = parseFormBody(interactionCallbackSchema, body.json);
    if (!ALLOWED_CALLBACKS[interaction.type]?.includes(callback.type)) {
      throw discordErrors.invalidFormBody({
        type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Callback type ${callback.type} is not allowed here` }] },
      });
    }
    const message = respond(world, interaction, callback, body);
    interaction.callbacks.push({
      type: callback.type,
      data: 'data' in callback ? callback.data : undefined,
      files: body.files,
      elapsedMs,
    });
    if (query.get('with_response') !== 'true') return noContent();
    return json(callbackResponse(world, interaction, callback.type, message));
  });

  const webhookInteraction = (params: Record<string, string>): FakeInteraction => {
    const interaction = world.interactionByToken(params.token);
    if (params.application !== world.guild.applicationId || !interaction) throw discordErrors.invalidWebhookToken();
    if (interaction.tokenExpired || Date.now() - interaction.createdAt > world.options.tokenLifetimeMs) throw discordErrors.invalidWebhookToken();
    // Before the first callback Discord has no webhook for the interaction yet.
    if (!interaction.acknowledged || interaction.type === InteractionType.Autocomplete) throw discordErrors.unknownWebhook();
    return interaction;
  };

  router.add('POST', '/webhooks/:application/:token', 'none', ({ params, query, body }) => {
    const reply = followUp(world, webhookInteraction(params), body);
    return query.get('wait') === 'false' && reply.status === 200 ? noContent() : reply;
  });

  const target = (params: Record<string, string>): RecordedMessage => {
    const interaction = webhookInteraction(params);
    const message =
      params.message === '@original'
        ? interaction.original()
        : interaction.messages().find((candidate) => candidate.id === params.message);
    if (!message || message.deleted) throw discordErrors.unknownMessage();
    return message;
  };
  const messagePattern = '/webhooks/:application/:token/messages/:message';
  router.add('GET', messagePattern, 'none', ({ params }) => json(world.messageJson(target(params))));
  router.add('PATCH', messagePattern, 'none', ({ params, body }) => editMessage(world, target(params), body));
  router.add('DELETE', messagePattern, 'none', ({ params }) => {
    target(params).deleted = true;
    return noContent();
  });
}

function interactionOrigin(world: World, interaction: FakeInteraction, originalId?: string): MessageOrigin {
  const user = (interaction.payload.member as { user: unknown }).user;
  return {
    author: world.guild.botUserJson(),
    type: interaction.responseMessageType,
    applicationId: world.guild.applicationId,
    interactionMetadata: {
      id: interaction.id,
      type: interaction.type,
      user,
      authorizing_integration_owners: { '0': world.guild.id },
      ...(originalId === undefined ? {} : { original_response_message_id: originalId }),
    },
  };
}

/** Applies a callback; returns the message it created or changed, if any. */
function respond(
  world: World,
  interaction: FakeInteraction,
  callback: InteractionCallback,
  body: RequestBody,
): RecordedMessage | undefined {
  switch (callback.type) {
    case CallbackType.ChannelMessage: {
      const message = createMessage(world, interaction.channelId, interactionOrigin(world, interaction), {
        json: callback.data,
        files: body.files,
      });
      interaction.originalMessageId = message.id;
      return message;
    }
    case CallbackType.DeferredChannelMessage: {
      const ephemeral = (callback.data?.flags ?? 0) & MessageFlag.Ephemeral;
      const message = createMessage(world, interaction.channelId, interactionOrigin(world, interaction), {
        json: { flags: ephemeral | MessageFlag.Loading },
        files: [],
      });
      interaction.originalMessageId = message.id;
      return message;
    }
    case CallbackType.DeferredUpdateMessage:
    case CallbackType.UpdateMessage: {
      const message = interaction.componentMessageId === undefined ? undefined : world.message(interaction.componentMessageId);
      if (!message) throw discordErrors.unknownMessage();
      if (callback.type === CallbackType.UpdateMessage) {
        message.apply('edit', callback.data, body.files, world.attachments);
      }
      interaction.originalMessageId = message.id;
      return message;
    }
    default:
      return undefined;
  }
}

/**
 * A follow-up message. As Discord documents it, the first follow-up after a deferred reply does
 * not create a message: it fills the "thinking..." one, keeping its ephemeral flag.
 */
function followUp(world: World, interaction: FakeInteraction, body: RequestBody): Reply {
  const original = interaction.original();
  if (original && !original.deleted && (original.flags & MessageFlag.Loading) !== 0) return editMessage(world, original, body);
  const message = createMessage(world, interaction.channelId, interactionOrigin(world, interaction, original?.id), body);
  interaction.followupIds.push(message.id);
  return json(world.messageJson(message));
}

function callbackResponse(
  world: World,
  interaction: FakeInteraction,
  type: number,
  message: RecordedMessage | undefined,
): Record<string, unknown> {
  return {
    interaction: {
      id: interaction.id,
      type: interaction.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: message ? (message.flags & MessageFlag.Loading) !== 0 : null,
      response_message_ephemeral: message ? message.ephemeral : null,
    },
    resource: { type, ...(message ? { message: world.messageJson(message) } : {}) },
  };
}
