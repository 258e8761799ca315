import type { SlashCommand } from '../src/commands/command';
import { historyAnswer } from '../src/commands/history-answer';
import { declareOptions, userOption } from '../src/commands/option-declarations';

const options = declareOptions({ user: userOption() });

/** `/history [user]`: a student's runs, newest first, with key settings and test accuracy. */
export default {
  kind: 'slash',
  name: 'history',
  key: 'history',
  options,
  execute: async (ctx, { user }) => ctx.reply(historyAnswer(ctx, user ?? ctx.user)),
} satisfies SlashCommand<typeof options>;
