import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { predictionAnswer } from '../src/commands/prediction-answer';
import { findRunWithModel, runAutocomplete } from '../src/commands/run-lookup';
import { refusal } from '../src/commands/refusal';

const schema = z.object({ index: z.number().int().min(0).max(9999), run: z.string().max(100).optional() }).strict();

/** `/predict index:0`: the ten class probabilities of a test image (exercise 1). */
export default {
  kind: 'slash',
  name: 'predict',
  key: 'predict',
  options: [
    { name: 'index', type: 'integer', required: true, min: 0, max: 9999 },
    { name: 'run', type: 'string', autocomplete: true },
  ],
  schema,
  async execute(ctx, options) {
    const run = findRunWithModel(ctx, options.run);
    if (!run.ok) return ctx.reply(refusal('no-run', run.message));
    await ctx.reply(await predictionAnswer(ctx, run.value, options.index, 'predict'));
  },
  autocomplete: (ctx, _option, typed) => runAutocomplete(ctx, typed),
} satisfies SlashCommand<z.infer<typeof schema>>;
