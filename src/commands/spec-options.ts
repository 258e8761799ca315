import { z } from 'zod';
import { experimentSpecSchema, OPTIMIZERS, type ExperimentSpec, type ExperimentSpecInput, type SpecLimits } from '../experiments/spec';
import type { Translate } from '../i18n/translate';
import type { OptionDefinition } from './command';
import { describeOptionIssues, type Parsed } from './options';

/**
 * `/train`'s options: one per ExperimentSpec field, snake_case as Discord wants them. Discord
 * enforces the min/max shown here; zod checks them again, then the spec's own schema applies the
 * limits the teacher configured.
 */
export const SPEC_OPTIONS: readonly OptionDefinition[] = [
  { name: 'epochs', type: 'integer', min: 1, max: 1000 },
  { name: 'units', type: 'integer', min: 1, max: 8192 },
  { name: 'extra_layer', type: 'integer', min: 1, max: 8192 },
  { name: 'flatten', type: 'boolean' },
  { name: 'outputs', type: 'integer', min: 1, max: 100 },
  { name: 'normalize', type: 'boolean' },
  { name: 'batch_size', type: 'integer', min: 1, max: 60000 },
  { name: 'optimizer', type: 'string', choices: OPTIMIZERS },
  { name: 'learning_rate', type: 'number', min: 0.000001, max: 10 },
  { name: 'validation_split', type: 'number', min: 0, max: 0.5 },
  { name: 'stop_at_accuracy', type: 'number', min: 0.01, max: 1 },
  { name: 'early_stopping_patience', type: 'integer', min: 1, max: 1000 },
  { name: 'seed', type: 'integer', min: 0, max: 2147483647 },
];

export const specOptionsSchema = z
  .object({
    epochs: z.number().int().min(1).max(1000),
    units: z.number().int().min(1).max(8192),
    extra_layer: z.number().int().min(1).max(8192),
    flatten: z.boolean(),
    outputs: z.number().int().min(1).max(100),
    normalize: z.boolean(),
    batch_size: z.number().int().min(1).max(60000),
    optimizer: z.enum(OPTIMIZERS),
    learning_rate: z.number().min(0.000001).max(10),
    validation_split: z.number().min(0).max(0.5),
    stop_at_accuracy: z.number().min(0.01).max(1),
    early_stopping_patience: z.number().int().min(1).max(1000),
    seed: z.number().int().min(0).max(2147483647),
  })
  .partial()
  .strict();
export type SpecOptions = z.infer<typeof specOptionsSchema>;

/** Which option sets which spec field, to name the option the student typed in error messages. */
const OPTION_OF_FIELD: Record<keyof ExperimentSpec, string> = {
  epochs: 'epochs',
  hiddenUnits: 'units',
  extraLayerUnits: 'extra_layer',
  flatten: 'flatten',
  outputUnits: 'outputs',
  normalize: 'normalize',
  batchSize: 'batch_size',
  optimizer: 'optimizer',
  learningRate: 'learning_rate',
  validationSplit: 'validation_split',
  stopAtAccuracy: 'stop_at_accuracy',
  earlyStoppingPatience: 'early_stopping_patience',
  restoreBestWeights: 'restore_best_weights',
  seed: 'seed',
};

export function specOverrides(options: SpecOptions): ExperimentSpecInput {
  const overrides: ExperimentSpecInput = {
    epochs: options.epochs,
    hiddenUnits: options.units,
    extraLayerUnits: options.extra_layer,
    flatten: options.flatten,
    outputUnits: options.outputs,
    normalize: options.normalize,
    batchSize: options.batch_size,
    optimizer: options.optimizer,
    learningRate: options.learning_rate,
    validationSplit: options.validation_split,
    stopAtAccuracy: options.stop_at_accuracy,
    earlyStoppingPatience: options.early_stopping_patience,
    seed: options.seed,
  };
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}

/** Builds the spec from a base (an exercise preset, or the course's model) and the student's options. */
export function buildSpec(base: ExperimentSpecInput, options: SpecOptions, limits: SpecLimits, t: Translate): Parsed<ExperimentSpec> {
  const parsed = experimentSpecSchema(limits).safeParse({ ...base, ...specOverrides(options) });
  if (parsed.success) return { ok: true, value: parsed.data };
  const needsValidation = parsed.error.issues.some((issue) => issue.code === 'custom' && issue.path[0] === 'earlyStoppingPatience');
  if (needsValidation) return { ok: false, message: t('error.options', { details: t('error.option.needs_validation') }) };
  return { ok: false, message: describeOptionIssues(parsed.error.issues, t, (field) => OPTION_OF_FIELD[field as keyof ExperimentSpec] ?? field) };
}
