import { applyOverrides, configuredLimits } from '../../src/experiments/server-limits';

const configured = configuredLimits({ MAX_EPOCHS: 50, MAX_UNITS: 2048, MAX_BATCH_SIZE: 1024, TRAIN_EXAMPLES: 60000 });

describe('a server’s limits', () => {
  it('are the configuration’s, with no daily quota, until a teacher changes one', () => {
    expect(configured).toEqual({ maxEpochs: 50, maxUnits: 2048, maxBatchSize: 1024, trainExamples: 60000, jobsPerDay: null });
    expect(applyOverrides(configured, {})).toEqual(configured);
  });

  it('take what the teacher set, field by field; null keeps the configuration’s', () => {
    expect(applyOverrides(configured, { maxEpochs: 10, trainExamples: 5000, jobsPerDay: 3, maxUnits: null })).toEqual({
      maxEpochs: 10,
      maxUnits: 2048,
      maxBatchSize: 1024,
      trainExamples: 5000,
      jobsPerDay: 3,
    });
  });

  it('never go above the configuration’s, even if a stored setting says so (the configuration was lowered since)', () => {
    expect(applyOverrides(configured, { maxEpochs: 500, maxBatchSize: 60000, trainExamples: 70000 })).toMatchObject({ maxEpochs: 50, maxBatchSize: 1024, trainExamples: 60000 });
  });
});
