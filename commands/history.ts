import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { historyAnswer } from '../src/commands/history-answer';

const schema = z.object({ user: z.object({ id: z.string(), name: z.string() }).optional() }).strict();

/** `/history [user]`: a student's runs, newest first, with key settings and test accuracy. */
export default {
  kind: 'slash',
  name: 'history',
  key: 'history',
  options: [{ name: 'user', type: 'user' }],
  schema,
  execute: async (ctx, options) => ctx.reply(historyAnswer(ctx, options.user ?? ctx.user)),
} satisfies SlashCommand<z.infer<typeof schema>>;
