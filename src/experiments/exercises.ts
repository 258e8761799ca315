import { z } from 'zod';
import type { ExperimentSpecInput } from './spec';

/**
 * The eight classic exercises of the course. Each preset is a spec override; `variants` are the
 * other settings the student is invited to try (offered as buttons after the run). The words a
 * student reads live in the message catalogues under `exercise.<number>.*`.
 */
export interface Exercise {
  number: ExerciseNumber;
  /** What the exercise changes, relative to the course's model. */
  preset: ExperimentSpecInput;
  /** Other settings worth comparing, each a spec override with a short label key. */
  variants: readonly ExerciseVariant[];
  /** True when the run is expected to stop with an explained error (exercises 3 and 4). */
  expectsFailure: boolean;
}

export interface ExerciseVariant {
  key: VariantKey;
  spec: ExperimentSpecInput;
}

/** The list as written, so that its numbers and variant keys are known to the type checker. */
const EXERCISE_LIST = [
  { number: 1, preset: { epochs: 5 }, variants: [], expectsFailure: false },
  {
    number: 2,
    preset: { hiddenUnits: 1024, epochs: 5 },
    variants: [
      { key: 'units128', spec: { hiddenUnits: 128, epochs: 5 } },
      { key: 'units512', spec: { hiddenUnits: 512, epochs: 5 } },
      { key: 'units1024', spec: { hiddenUnits: 1024, epochs: 5 } },
    ],
    expectsFailure: false,
  },
  { number: 3, preset: { flatten: false }, variants: [], expectsFailure: true },
  { number: 4, preset: { outputUnits: 5 }, variants: [], expectsFailure: true },
  { number: 5, preset: { extraLayerUnits: 256, epochs: 5 }, variants: [], expectsFailure: false },
  {
    number: 6,
    preset: { epochs: 30, validationSplit: 0.2 },
    variants: [
      { key: 'epochs5', spec: { epochs: 5, validationSplit: 0.2 } },
      { key: 'epochs15', spec: { epochs: 15, validationSplit: 0.2 } },
      { key: 'epochs30', spec: { epochs: 30, validationSplit: 0.2 } },
    ],
    expectsFailure: false,
  },
  {
    number: 7,
    preset: { normalize: false, epochs: 5 },
    variants: [
      { key: 'normalized', spec: { normalize: true, epochs: 5 } },
      { key: 'raw', spec: { normalize: false, epochs: 5 } },
    ],
    expectsFailure: false,
  },
  {
    number: 8,
    preset: { epochs: 20, stopAtAccuracy: 0.86, validationSplit: 0.2, earlyStoppingPatience: 2 },
    variants: [
      { key: 'target', spec: { epochs: 20, stopAtAccuracy: 0.86 } },
      { key: 'earlyStopping', spec: { epochs: 30, validationSplit: 0.2, earlyStoppingPatience: 2 } },
    ],
    expectsFailure: false,
  },
] as const satisfies readonly { number: number; preset: ExperimentSpecInput; variants: readonly { key: string; spec: ExperimentSpecInput }[]; expectsFailure: boolean }[];

/** An exercise's number; the catalogues have its `exercise.<number>.*` sentences, which tsc checks. */
export type ExerciseNumber = (typeof EXERCISE_LIST)[number]['number'];
export type VariantKey = (typeof EXERCISE_LIST)[number]['variants'][number]['key'];

export const EXERCISES: readonly Exercise[] = EXERCISE_LIST;

/** An exercise's number where one comes in from outside (a stored run, a queued job). */
export const exerciseNumberSchema = z.literal(EXERCISES.map((exercise) => exercise.number));

/** Every variant key, once, in the order of the exercises. */
export const VARIANT_KEYS: readonly VariantKey[] = [...new Set(EXERCISES.flatMap((exercise) => exercise.variants.map((variant) => variant.key)))];

export function exerciseByNumber(number: number): Exercise | undefined {
  return EXERCISES.find((exercise) => exercise.number === number);
}
