import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { leaderboardAnswer } from '../src/commands/leaderboard-answer';

const schema = z.object({ exercise: z.number().int().min(1).max(8).optional() }).strict();

/** `/leaderboard [exercise]`: best test accuracy per student, ties broken by shorter training. */
export default {
  kind: 'slash',
  name: 'leaderboard',
  key: 'leaderboard',
  options: [{ name: 'exercise', type: 'integer', min: 1, max: 8 }],
  schema,
  execute: async (ctx, options) => ctx.reply(await leaderboardAnswer(ctx, options.exercise)),
} satisfies SlashCommand<z.infer<typeof schema>>;
