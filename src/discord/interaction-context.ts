import type { Client, RepliableInteraction } from 'discord.js';
import type { CommandContext } from '../commands/command';
import type { Services } from '../commands/services';
import { localeFrom, translator } from '../i18n/translate';
import { pacedContext } from './answer-surface';
import { sendableChannel } from './channel-message';
import { interactionRefOf } from './interaction-ref';
import { InteractionSurface } from './interaction-surface';
import { displayName } from './raw-options';
import { isTeacher } from './teacher';
import { postInThread } from './threads';

/** What the Discord adapter needs to answer anything. */
export interface DiscordDeps {
  client: Client;
  services: Services;
  /** Lifetime of interaction tokens (15 minutes on Discord; shorter in tests). */
  tokenLifetimeMs: number;
}

/**
 * The command context of one interaction. Creating it starts the clock of Discord's 3 seconds
 * (the first answer, or a deferral a second later), so call it before doing anything else.
 */
export function createInteractionContext(interaction: RepliableInteraction, deps: DiscordDeps): CommandContext {
  const { client, services } = deps;
  const surface = new InteractionSurface(interaction, () => sendableChannel(client, interaction.channelId), services.log, deps.tokenLifetimeMs);
  const locale = localeFrom(interaction.locale);
  return pacedContext(
    {
      user: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      locale,
      t: translator(locale),
      isTeacher: isTeacher(interaction, services.config.TEACHER_ROLE),
      services,
      replyRef: interactionRefOf(interaction),
      postInThread: (name, answer, options) => postInThread(client, interaction.channelId, name, answer, options),
    },
    surface,
    services.log,
  );
}
