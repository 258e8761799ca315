import { defaultSpec, experimentSpecSchema, learningRateOf } from '../../src/experiments/spec';

describe('ExperimentSpec', () => {
  it('defaults to the course model', () => {
    expect(defaultSpec()).toEqual({
      epochs: 5,
      hiddenUnits: 512,
      extraLayerUnits: null,
      flatten: true,
      outputUnits: 10,
      normalize: true,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: null,
      validationSplit: 0,
      stopAtAccuracy: null,
      earlyStoppingPatience: null,
      restoreBestWeights: true,
      seed: null,
    });
    expect(learningRateOf(defaultSpec())).toBe(0.001);
    expect(learningRateOf(defaultSpec({ optimizer: 'sgd' }))).toBe(0.01);
  });

  it('applies the configured limits', () => {
    const schema = experimentSpecSchema({ maxEpochs: 10, maxUnits: 256, maxBatchSize: 64 });
    expect(schema.safeParse({ epochs: 10 }).success).toBe(true);
    expect(schema.safeParse({ epochs: 11 }).success).toBe(false);
    expect(schema.safeParse({ hiddenUnits: 257 }).success).toBe(false);
    expect(schema.safeParse({ batchSize: 65 }).success).toBe(false);
  });

  it.each([
    [{ epochs: 0 }],
    [{ epochs: 2.5 }],
    [{ hiddenUnits: -1 }],
    [{ optimizer: 'adagrad' }],
    [{ validationSplit: 0.9 }],
    [{ stopAtAccuracy: 1.5 }],
    [{ learningRate: 0 }],
    [{ epochs: '5' }],
    [{ unknownField: 1 }],
  ])('refuses %j', (input) => {
    expect(experimentSpecSchema().safeParse(input).success).toBe(false);
  });

  it('refuses early stopping without a validation split, which it needs to watch', () => {
    const result = experimentSpecSchema().safeParse({ earlyStoppingPatience: 2 });
    expect(result.success).toBe(false);
    expect(experimentSpecSchema().safeParse({ earlyStoppingPatience: 2, validationSplit: 0.1 }).success).toBe(true);
  });
});
