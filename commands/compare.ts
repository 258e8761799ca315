import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { compareRuns } from '../src/commands/compare-flow';
import { compareAutocomplete, resolveRunChoices } from '../src/commands/compare-choices';
import { refusal } from '../src/commands/refusal';

const runChoice = z.string().min(1).max(100);
const schema = z
  .object({ first: runChoice.optional(), second: runChoice.optional(), third: runChoice.optional(), exercise: z.number().int().min(1).max(8).optional() })
  .strict();

/** `/compare`: two or three runs (or every run of an exercise) side by side in a thread. */
export default {
  kind: 'slash',
  name: 'compare',
  key: 'compare',
  options: [
    { name: 'first', type: 'string', autocomplete: true },
    { name: 'second', type: 'string', autocomplete: true },
    { name: 'third', type: 'string', autocomplete: true },
    { name: 'exercise', type: 'integer', min: 1, max: 8 },
  ],
  schema,
  async execute(ctx, options) {
    const runs = resolveRunChoices(ctx, options);
    if (!runs.ok) return ctx.reply(refusal('no-run', runs.message));
    await compareRuns(ctx, runs.value);
  },
  autocomplete: (ctx, _option, typed) => compareAutocomplete(ctx, typed),
} satisfies SlashCommand<z.infer<typeof schema>>;
