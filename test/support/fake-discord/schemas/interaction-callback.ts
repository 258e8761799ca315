import { z } from 'zod';
import { messagePayloadSchema } from './message';

/** The body of POST /interactions/{id}/{token}/callback, one shape per response type. */

export const CallbackType = {
  Pong: 1,
  ChannelMessage: 4,
  DeferredChannelMessage: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;

const choiceSchema = z.looseObject({
  name: z.string().min(1).max(100),
  value: z.union([z.string().max(100), z.number()]),
});

const modalSchema = z.looseObject({
  custom_id: z.string().min(1).max(100),
  title: z.string().min(1).max(45),
  components: z.array(z.looseObject({ type: z.number().int() })).min(1).max(5),
});

export const interactionCallbackSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal(CallbackType.Pong) }),
  z.looseObject({ type: z.literal(CallbackType.ChannelMessage), data: messagePayloadSchema }),
  z.looseObject({
    type: z.literal(CallbackType.DeferredChannelMessage),
    data: z.looseObject({ flags: z.number().int().nullish() }).optional(),
  }),
  z.looseObject({ type: z.literal(CallbackType.DeferredUpdateMessage) }),
  z.looseObject({ type: z.literal(CallbackType.UpdateMessage), data: messagePayloadSchema }),
  z.looseObject({
    type: z.literal(CallbackType.AutocompleteResult),
    data: z.looseObject({ choices: z.array(choiceSchema).max(25) }),
  }),
  z.looseObject({ type: z.literal(CallbackType.Modal), data: modalSchema }),
]);

export type InteractionCallback = z.infer<typeof interactionCallbackSchema>;
