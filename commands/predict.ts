import type { SlashCommand } from '../src/commands/command';
import { runIdOption } from '../src/commands/common-options';
import { declareOptions, integerOption } from '../src/commands/option-declarations';
import { predictionAnswer } from '../src/commands/prediction-answer';
import { refusalAnswer } from '../src/commands/refusal';
import { findRunWithModel, runAutocomplete } from '../src/commands/run-lookup';

const options = declareOptions({ index: integerOption({ min: 0, max: 9999, required: true }), run: runIdOption });

/** `/predict index:0`: the ten class probabilities of a test image (exercise 1). */
export default {
  kind: 'slash',
  name: 'predict',
  key: 'predict',
  options,
  async execute(ctx, { index, run: runId }) {
    const run = findRunWithModel(ctx, runId);
    if (!run.ok) return ctx.reply(refusalAnswer(ctx.t, run.refusal));
    await ctx.reply(await predictionAnswer(ctx, run.value, index, 'predict'));
  },
  autocomplete: (ctx, _option, typed) => runAutocomplete(ctx, typed),
} satisfies SlashCommand<typeof options>;
