import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { cancelJob } from '../src/commands/cancel-job';

const schema = z.object({ job: z.number().int().min(1).optional() }).strict();

/** `/cancel [job]`: cancels the user's own job (a teacher may cancel any). */
export default {
  kind: 'slash',
  name: 'cancel',
  key: 'cancel',
  options: [{ name: 'job', type: 'integer', min: 1 }],
  schema,
  async execute(ctx, options) {
    await ctx.reply(cancelJob(ctx, options.job));
  },
} satisfies SlashCommand<z.infer<typeof schema>>;
