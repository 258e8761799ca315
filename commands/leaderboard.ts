import type { SlashCommand } from '../src/commands/command';
import { exerciseNumberOption } from '../src/commands/common-options';
import { leaderboardAnswer } from '../src/commands/leaderboard-answer';
import { declareOptions } from '../src/commands/option-declarations';

const options = declareOptions({ exercise: exerciseNumberOption() });

/** `/leaderboard [exercise]`: best test accuracy per student, ties broken by shorter training. */
export default {
  kind: 'slash',
  name: 'leaderboard',
  key: 'leaderboard',
  options,
  execute: async (ctx, { exercise }) => ctx.reply(await leaderboardAnswer(ctx, exercise)),
} satisfies SlashCommand<typeof options>;
