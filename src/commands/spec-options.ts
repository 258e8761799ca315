import { experimentSpecSchema, OPTIMIZERS, type ExperimentSpec, type ExperimentSpecInput, type SpecLimits } from '../experiments/spec';
import type { OptionName } from './message-keys';
import { booleanOption, choiceOption, declareOptions, integerOption, numberOption, type OptionDeclaration, type OptionValues } from './option-declarations';
import { optionIssues, optionsRefusal } from './options';
import { refusal, refused, type Checked } from './refusal';

/** A `/train` option, and the spec field it sets (of the value's type). */
function specOption<Field extends keyof ExperimentSpecInput>(field: Field, option: OptionDeclaration<NonNullable<ExperimentSpecInput[Field]>, false>) {
  return { ...option, field };
}

/**
 * `/train`'s options: one per ExperimentSpec field, snake_case as Discord wants them. Discord
 * enforces the bounds declared here, zod checks them again, then the spec's own schema applies
 * the limits the teacher configured.
 */
const SPEC_OPTIONS = {
  epochs: specOption('epochs', integerOption({ min: 1, max: 1000 })),
  units: specOption('hiddenUnits', integerOption({ min: 1, max: 8192 })),
  extra_layer: specOption('extraLayerUnits', integerOption({ min: 1, max: 8192 })),
  flatten: specOption('flatten', booleanOption()),
  outputs: specOption('outputUnits', integerOption({ min: 1, max: 100 })),
  normalize: specOption('normalize', booleanOption()),
  batch_size: specOption('batchSize', integerOption({ min: 1, max: 60000 })),
  optimizer: specOption('optimizer', choiceOption(OPTIMIZERS)),
  learning_rate: specOption('learningRate', numberOption({ min: 0.000001, max: 10 })),
  validation_split: specOption('validationSplit', numberOption({ min: 0, max: 0.5 })),
  stop_at_accuracy: specOption('stopAtAccuracy', numberOption({ min: 0.01, max: 1 })),
  early_stopping_patience: specOption('earlyStoppingPatience', integerOption({ min: 1, max: 1000 })),
  seed: specOption('seed', integerOption({ min: 0, max: 2147483647 })),
};

export const trainOptions = declareOptions(SPEC_OPTIONS);
export type SpecOptions = OptionValues<typeof SPEC_OPTIONS>;

const SPEC_OPTION_LIST = Object.entries(SPEC_OPTIONS) as [keyof SpecOptions, (typeof SPEC_OPTIONS)[keyof SpecOptions]][];

/** Which option sets which spec field, to name the option the student typed in error messages. */
const OPTION_OF_FIELD = new Map<string, OptionName>(SPEC_OPTION_LIST.map(([name, option]) => [option.field, name]));

function specOverrides(options: SpecOptions): ExperimentSpecInput {
  return Object.fromEntries(SPEC_OPTION_LIST.flatMap(([name, option]) => (options[name] === undefined ? [] : [[option.field, options[name]]])));
}

/** Builds the spec from a base (an exercise preset, or the course's model) and the student's options. */
export function buildSpec(base: ExperimentSpecInput, options: SpecOptions, limits: SpecLimits): Checked<ExperimentSpec> {
  const parsed = experimentSpecSchema(limits).safeParse({ ...base, ...specOverrides(options) });
  if (parsed.success) return { ok: true, value: parsed.data };
  const needsValidation = parsed.error.issues.some((issue) => issue.code === 'custom' && issue.path[0] === 'earlyStoppingPatience');
  if (needsValidation) return refused(refusal('invalid-options', 'error.options', { details: { key: 'error.option.needs_validation' } }));
  return refused(optionsRefusal(optionIssues(parsed.error.issues, (field) => OPTION_OF_FIELD.get(field) ?? field)));
}
