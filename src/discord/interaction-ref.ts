import type { RepliableInteraction } from 'discord.js';
import { z } from 'zod';

/**
 * Where a job's answer lives, stored with the job (its reply reference) so that a bot restarted
 * within the token's lifetime carries on in the student's own message.
 */
export const interactionRefSchema = z.object({
  kind: z.literal('interaction'),
  applicationId: z.string(),
  token: z.string(),
  /** When the interaction was created, in ms since 1970: its token dies a lifetime later. */
  createdAt: z.number(),
});
export type InteractionRef = z.infer<typeof interactionRefSchema>;

export function interactionRefOf(interaction: RepliableInteraction): InteractionRef {
  return { kind: 'interaction', applicationId: interaction.applicationId, token: interaction.token, createdAt: interaction.createdTimestamp };
}
