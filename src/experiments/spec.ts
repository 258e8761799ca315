import { z } from 'zod';

/** The limits a teacher sets through configuration (MAX_EPOCHS, MAX_UNITS, MAX_BATCH_SIZE). */
export interface SpecLimits {
  maxEpochs: number;
  maxUnits: number;
  maxBatchSize: number;
}

/** The limits of the environment's MAX_EPOCHS, MAX_UNITS and MAX_BATCH_SIZE. */
export function limitsOf(config: { MAX_EPOCHS: number; MAX_UNITS: number; MAX_BATCH_SIZE: number }): SpecLimits {
  return { maxEpochs: config.MAX_EPOCHS, maxUnits: config.MAX_UNITS, maxBatchSize: config.MAX_BATCH_SIZE };
}

export const DEFAULT_LIMITS: SpecLimits = { maxEpochs: 50, maxUnits: 2048, maxBatchSize: 1024 };

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Learning rates Keras uses by default for each optimizer. */
export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
};

/**
 * One training experiment. The defaults are the course's model: Flatten, Dense(512, relu),
 * Dense(10, softmax), Adam, sparse categorical cross-entropy, 5 epochs, batch 32, inputs in 0-1.
 */
export function experimentSpecSchema(limits: SpecLimits = DEFAULT_LIMITS) {
  return z
    .object({
      epochs: z.number().int().min(1).max(limits.maxEpochs).default(5),
      hiddenUnits: z.number().int().min(1).max(limits.maxUnits).default(512),
      extraLayerUnits: z.number().int().min(1).max(limits.maxUnits).nullable().default(null),
      flatten: z.boolean().default(true),
      outputUnits: z.number().int().min(1).max(100).default(10),
      normalize: z.boolean().default(true),
      batchSize: z.number().int().min(1).max(limits.maxBatchSize).default(32),
      optimizer: z.enum(OPTIMIZERS).default('adam'),
      learningRate: z.number().positive().max(10).nullable().default(null),
      validationSplit: z.number().min(0).max(0.5).default(0),
      stopAtAccuracy: z.number().gt(0).max(1).nullable().default(null),
      earlyStoppingPatience: z.number().int().min(1).max(limits.maxEpochs).nullable().default(null),
      restoreBestWeights: z.boolean().default(true),
      seed: z.number().int().min(0).max(2 ** 31 - 1).nullable().default(null),
    })
    .strict()
    .refine((spec) => spec.earlyStoppingPatience === null || spec.validationSplit > 0, {
      message: 'early stopping watches the validation loss, so it needs validation_split above 0',
      path: ['earlyStoppingPatience'],
    });
}

/**
 * A spec that was valid under the limits of its day (a stored run, a queued job): a teacher may
 * lower MAX_EPOCHS later, and those must still load. So they are checked for shape, not against
 * today's limits.
 */
export const storedSpecSchema = experimentSpecSchema({
  maxEpochs: Number.MAX_SAFE_INTEGER,
  maxUnits: Number.MAX_SAFE_INTEGER,
  maxBatchSize: Number.MAX_SAFE_INTEGER,
});

export type ExperimentSpec = z.output<ReturnType<typeof experimentSpecSchema>>;
export type ExperimentSpecInput = z.input<ReturnType<typeof experimentSpecSchema>>;

/** The spec with every default filled in (the course's model). */
export function defaultSpec(overrides: ExperimentSpecInput = {}, limits: SpecLimits = DEFAULT_LIMITS): ExperimentSpec {
  return experimentSpecSchema(limits).parse(overrides);
}

export function learningRateOf(spec: ExperimentSpec): number {
  return spec.learningRate ?? DEFAULT_LEARNING_RATE[spec.optimizer];
}
