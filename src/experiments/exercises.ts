import type { ExperimentSpecInput } from './spec';

/**
 * The eight classic exercises of the course. Each preset is a spec override; `variants` are the
 * other settings the student is invited to try (offered as buttons after the run). The words a
 * student reads live in the message catalogues under `exercise.<number>.*`.
 */
export interface Exercise {
  number: number;
  /** What the exercise changes, relative to the course's model. */
  preset: ExperimentSpecInput;
  /** Other settings worth comparing, each a spec override with a short label key. */
  variants: { key: string; spec: ExperimentSpecInput }[];
  /** True when the run is expected to stop with an explained error (exercises 3 and 4). */
  expectsFailure: boolean;
}

export const EXERCISES: readonly Exercise[] = [
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
];

export function exerciseByNumber(number: number): Exercise | undefined {
  return EXERCISES.find((exercise) => exercise.number === number);
}
