import type { SlashCommand } from '../src/commands/command';
import { compareRuns } from '../src/commands/compare-flow';
import { compareAutocomplete, resolveRunChoices } from '../src/commands/compare-choices';
import { exerciseNumberOption } from '../src/commands/common-options';
import { declareOptions, stringOption } from '../src/commands/option-declarations';
import { refusalAnswer } from '../src/commands/refusal';

const runChoice = stringOption({ minLength: 1, maxLength: 100, autocomplete: true });
const options = declareOptions({ first: runChoice, second: runChoice, third: runChoice, exercise: exerciseNumberOption() });

/** `/compare`: two or three runs (or every run of an exercise) side by side in a thread. */
export default {
  kind: 'slash',
  name: 'compare',
  key: 'compare',
  options,
  async execute(ctx, chosen) {
    const runs = resolveRunChoices(ctx, chosen);
    if (!runs.ok) return ctx.reply(refusalAnswer(ctx.t, runs.refusal));
    await compareRuns(ctx, runs.value);
  },
  autocomplete: (ctx, _option, typed) => compareAutocomplete(ctx, typed),
} satisfies SlashCommand<typeof options>;
