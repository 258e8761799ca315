import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

/** Discord's error code of a failed request, if it was one. */
function codeOf(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

/**
 * The interaction's token can no longer be used: it expired (15 minutes), or the interaction was
 * never acknowledged, so Discord has no webhook for it.
 */
export function isInteractionTokenGone(error: unknown): boolean {
  const code = codeOf(error);
  return code === RESTJSONErrorCodes.InvalidWebhookToken || code === RESTJSONErrorCodes.UnknownWebhook || code === RESTJSONErrorCodes.UnknownInteraction;
}

export function isUnknownMessage(error: unknown): boolean {
  return codeOf(error) === RESTJSONErrorCodes.UnknownMessage;
}

export function isUnknownChannel(error: unknown): boolean {
  return codeOf(error) === RESTJSONErrorCodes.UnknownChannel;
}
