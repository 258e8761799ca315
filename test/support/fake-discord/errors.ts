/**
 * Errors the fake answers with, in Discord's JSON shape (`{ message, code, errors? }`), so that
 * @discordjs/rest turns them into a `DiscordAPIError` with the same `status`, `code` and message
 * a bot would see from Discord.
 */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
  ) {
    super(message);
    this.name = 'DiscordHttpError';
  }

  body(): Record<string, unknown> {
    return this.errors === undefined
      ? { message: this.message, code: this.code }
      : { message: this.message, code: this.code, errors: this.errors };
  }
}

export const discordErrors = {
  notFound: () => new DiscordHttpError(404, 0, '404: Not Found'),
  unauthorized: () => new DiscordHttpError(401, 0, '401: Unauthorized'),
  missingAccess: () => new DiscordHttpError(403, 50001, 'Missing Access'),
  unknownChannel: () => new DiscordHttpError(404, 10003, 'Unknown Channel'),
  unknownMessage: () => new DiscordHttpError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => new DiscordHttpError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new DiscordHttpError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () =>
    new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged'),
  invalidWebhookToken: () => new DiscordHttpError(401, 50027, 'Invalid Webhook Token'),
  emptyMessage: () => new DiscordHttpError(400, 50006, 'Cannot send an empty message'),
  notAuthor: () =>
    new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user'),
  threadAlreadyCreated: () =>
    new DiscordHttpError(400, 160004, 'A thread has already been created for this message'),
  entityTooLarge: () => new DiscordHttpError(413, 40005, 'Request entity too large'),
  invalidJson: () => new DiscordHttpError(400, 50109, 'The request body contains invalid JSON.'),
  invalidFormBody: (errors: unknown) => new DiscordHttpError(400, 50035, 'Invalid Form Body', errors),
};
