import type { SlashCommand } from '../src/commands/command';
import { cancelJob } from '../src/commands/cancel-job';
import { declareOptions, integerOption } from '../src/commands/option-declarations';

const options = declareOptions({ job: integerOption({ min: 1 }) });

/** `/cancel [job]`: cancels the user's own job (a teacher may cancel any). */
export default {
  kind: 'slash',
  name: 'cancel',
  key: 'cancel',
  options,
  async execute(ctx, { job }) {
    await ctx.reply(cancelJob(ctx, job));
  },
} satisfies SlashCommand<typeof options>;
