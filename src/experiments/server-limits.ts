import type { SpecLimits } from './spec';

/**
 * What one server allows: the limits of a spec, the training images a run may use, and how many
 * jobs a student may run in 24 hours (null: as many as they like).
 */
export interface ServerLimits extends SpecLimits {
  trainExamples: number;
  jobsPerDay: number | null;
}

export const SERVER_LIMIT_NAMES = ['maxEpochs', 'maxUnits', 'maxBatchSize', 'trainExamples', 'jobsPerDay'] as const;
export type ServerLimitName = (typeof SERVER_LIMIT_NAMES)[number];

/** A teacher's changes to the configured limits; a missing or null field keeps the configuration's. */
export type LimitOverrides = { [Name in ServerLimitName]?: number | null };

/**
 * The limits of the environment (MAX_EPOCHS, MAX_UNITS, MAX_BATCH_SIZE, TRAIN_EXAMPLES): the most
 * this machine allows, which a teacher may lower for a server. The environment sets no daily quota.
 */
export function configuredLimits(config: { MAX_EPOCHS: number; MAX_UNITS: number; MAX_BATCH_SIZE: number; TRAIN_EXAMPLES: number }): ServerLimits {
  return { maxEpochs: config.MAX_EPOCHS, maxUnits: config.MAX_UNITS, maxBatchSize: config.MAX_BATCH_SIZE, trainExamples: config.TRAIN_EXAMPLES, jobsPerDay: null };
}

/** The configured limits with a server's overrides, none of them above the configuration's own. */
export function applyOverrides(configured: ServerLimits, overrides: LimitOverrides): ServerLimits {
  const capped = (name: Exclude<ServerLimitName, 'jobsPerDay'>) => Math.min(overrides[name] ?? configured[name], configured[name]);
  return {
    maxEpochs: capped('maxEpochs'),
    maxUnits: capped('maxUnits'),
    maxBatchSize: capped('maxBatchSize'),
    trainExamples: capped('trainExamples'),
    jobsPerDay: overrides.jobsPerDay ?? configured.jobsPerDay,
  };
}
