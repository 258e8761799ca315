import type { SlashCommand } from '../src/commands/command';
import { exerciseNumberOption } from '../src/commands/common-options';
import { runExercise } from '../src/commands/exercise-flow';
import { choiceOption, declareOptions } from '../src/commands/option-declarations';
import { VARIANT_KEYS } from '../src/experiments/exercises';

const options = declareOptions({ number: exerciseNumberOption({ required: true }), variant: choiceOption(VARIANT_KEYS) });

/** `/exercise 6`: explains the exercise, runs its preset, then says what happened and why. */
export default {
  kind: 'slash',
  name: 'exercise',
  key: 'exercise',
  options,
  execute: (ctx, { number, variant }) => runExercise(ctx, number, variant),
} satisfies SlashCommand<typeof options>;
