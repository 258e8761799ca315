import { exerciseByNumber } from '../../src/experiments/exercises';
import { defaultSpec, type ExperimentSpec, type ExperimentSpecInput } from '../../src/experiments/spec';
import type { RunResult } from '../../src/experiments/results';
import { buildModel } from '../../src/trainer/model';

/**
 * What exercises 2 to 8 must show a student (DESIGN.md), on the real images, proved on whatever
 * trains them: `run` trains a spec on the first `trainExamples` training images (a few thousand,
 * so that a whole file takes seconds or minutes, not the full 60,000).
 */
export type ExerciseRun = (spec: ExperimentSpec, trainExamples: number) => Promise<RunResult>;

export function preset(number: number, overrides: ExperimentSpecInput = {}): ExperimentSpec {
  const exercise = exerciseByNumber(number);
  if (!exercise) throw new Error(`no exercise ${number}`);
  return defaultSpec({ ...exercise.preset, seed: 3, ...overrides });
}

/** The weights a model updates at every step: what a bigger layer costs, whatever the machine's speed. */
function trainableWeights(spec: ExperimentSpec): number {
  const model = buildModel(spec);
  try {
    return model.countParams();
  } finally {
    model.dispose();
  }
}

/** Declares the tests of exercises 2 to 8, each training through `run`. */
export function exerciseOutcomes(run: ExerciseRun): void {
  test('2: a bigger hidden layer has far more weights to train and gives a slightly lower loss', async () => {
    const smallSpec = preset(2, { hiddenUnits: 64, epochs: 2 });
    const bigSpec = preset(2, { hiddenUnits: 1024, epochs: 2 });
    const small = await run(smallSpec, 5000);
    const big = await run(bigSpec, 5000);
    // The time this costs is measured by `npm run bench`, not here: a timed test would depend on the machine.
    expect(trainableWeights(bigSpec)).toBeGreaterThan(trainableWeights(smallSpec) * 15);
    expect(big.secondsPerEpoch).toBeGreaterThan(0);
    expect(big.epochs.at(-1)!.loss).toBeLessThan(small.epochs.at(-1)!.loss);
    // Diminishing returns: sixteen times the neurons, a few points of accuracy at most.
    expect(Math.abs(big.evaluation!.testAccuracy - small.evaluation!.testAccuracy)).toBeLessThan(0.05);
  });

  test('3: without Flatten the run stops before training with the shape explained', async () => {
    const result = await run(preset(3), 1000);
    expect(result.stopReason).toMatchObject({ kind: 'failed', failure: { code: 'shape-mismatch', params: { outputShape: '(28, 10)' } } });
    expect(result.epochs).toHaveLength(0);
  });

  test('4: five outputs stop with "label 9 is outside 0-4"', async () => {
    const result = await run(preset(4), 1000);
    expect(result.stopReason).toMatchObject({ kind: 'failed', failure: { code: 'label-out-of-range', params: { label: 9, outputs: 5 } } });
  });

  test('5: an extra hidden layer changes little on this data set', async () => {
    const plain = await run(defaultSpec({ epochs: 2, seed: 3 }), 5000);
    const extra = await run(preset(5, { epochs: 2 }), 5000);
    expect(Math.abs(extra.evaluation!.testAccuracy - plain.evaluation!.testAccuracy)).toBeLessThan(0.04);
  });

  test('6: with many epochs the training loss keeps falling while the validation loss turns up', async () => {
    const result = await run(preset(6, { epochs: 20 }), 1500);
    const losses = result.epochs.map((epoch) => epoch.loss);
    const validation = result.epochs.map((epoch) => epoch.valLoss!);
    const best = validation.indexOf(Math.min(...validation));
    expect(losses.at(-1)!).toBeLessThan(losses[best]);
    expect(best).toBeLessThan(validation.length - 3);
    expect(validation.at(-1)!).toBeGreaterThan(validation[best] * 1.1);
  });

  test('7: without normalisation training is worse', async () => {
    const normalized = await run(preset(7, { normalize: true, epochs: 2 }), 5000);
    const raw = await run(preset(7, { epochs: 2 }), 5000);
    expect(raw.evaluation!.testAccuracy).toBeLessThan(normalized.evaluation!.testAccuracy - 0.03);
    expect(raw.epochs.at(-1)!.loss).toBeGreaterThan(normalized.epochs.at(-1)!.loss);
  });

  test('8a: training stops once accuracy passes the target, and says at which epoch', async () => {
    const result = await run(preset(8, { earlyStoppingPatience: null, validationSplit: 0, stopAtAccuracy: 0.8 }), 3000);
    expect(result.stopReason).toMatchObject({ kind: 'target-reached', epoch: result.epochs.length });
    expect(result.epochs.length).toBeLessThan(20);
  });

  test('8b: early stopping on validation loss stops before the limit, naming the best epoch', async () => {
    const result = await run(preset(8, { stopAtAccuracy: null, epochs: 30 }), 1500);
    expect(result.stopReason.kind).toBe('early-stopped');
    if (result.stopReason.kind !== 'early-stopped') return;
    const { epoch, bestEpoch } = result.stopReason;
    expect(epoch).toBeLessThan(30);
    expect(epoch - bestEpoch).toBe(2);
    const validation = result.epochs.map((e) => e.valLoss!);
    expect(Math.min(...validation)).toBe(validation[bestEpoch - 1]);
  });
}
