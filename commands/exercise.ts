import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { runExercise } from '../src/commands/exercise-flow';
import { EXERCISES } from '../src/experiments/exercises';

const VARIANT_KEYS = [...new Set(EXERCISES.flatMap((exercise) => exercise.variants.map((variant) => variant.key)))];

const schema = z.object({ number: z.number().int().min(1).max(8), variant: z.string().max(40).optional() }).strict();

/** `/exercise 6`: explains the exercise, runs its preset, then says what happened and why. */
export default {
  kind: 'slash',
  name: 'exercise',
  key: 'exercise',
  options: [
    { name: 'number', type: 'integer', required: true, min: 1, max: 8 },
    { name: 'variant', type: 'string', choices: VARIANT_KEYS },
  ],
  schema,
  execute: (ctx, options) => runExercise(ctx, options.number, options.variant),
} satisfies SlashCommand<z.infer<typeof schema>>;
