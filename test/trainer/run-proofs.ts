import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { defaultSpec } from '../../src/experiments/spec';
import type { FashionMnist } from '../../src/trainer/dataset';
import { lossAndAccuracy } from '../../src/trainer/evaluate';
import { loadModel } from '../../src/trainer/model-files';
import { runExperiment, type RunOptions } from '../../src/trainer/train';

/** Small runs on real images: 2,000 training examples, a narrow hidden layer. */
const small = (overrides: Parameters<typeof defaultSpec>[0] = {}) => defaultSpec({ hiddenUnits: 64, batchSize: 64, seed: 1, ...overrides });

/**
 * How the training loop behaves (epochs, seeds, stop rules, cancel, failures before training),
 * proved on whatever trains: `trainer()` gives the backend's name and, for a fused engine, the
 * engine, once the test file's beforeAll has made it.
 */
export function runOutcomes(data: FashionMnist, trainer: () => Pick<RunOptions, 'backend' | 'engine'>): void {
  const options = () => ({ runId: 'test', trainExamples: 2000, ...trainer() });
  it('trains, reports every epoch, evaluates on the test set and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await runExperiment(small({ epochs: 2, validationSplit: 0.2 }), data, { ...options(), onEpoch: (m) => seen.push(m.epoch) });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([1, 2]);
    expect(result.stopReason).toEqual({ kind: 'completed' });
    expect(result.trainExamples).toBe(2000);
    const [first, second] = result.epochs;
    expect(second.loss).toBeLessThan(first.loss);
    expect(first.valLoss).not.toBeNull();
    const evaluation = result.evaluation!;
    expect(evaluation.testAccuracy).toBeGreaterThan(0.6);
    expect(evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(10000);
    const diagonal = evaluation.confusionMatrix.reduce((sum, row, i) => sum + row[i], 0);
    expect(diagonal / 10000).toBeCloseTo(evaluation.testAccuracy, 6);
    expect(evaluation.perClassAccuracy).toHaveLength(10);
  });

  it('repeats a seeded run exactly', async () => {
    const a = await runExperiment(small({ epochs: 1 }), data, { ...options(), evaluate: false });
    const b = await runExperiment(small({ epochs: 1 }), data, { ...options(), evaluate: false });
    expect(b.epochs[0].loss).toBe(a.epochs[0].loss);
  });

  it('stops once training accuracy reaches the target (exercise 8)', async () => {
    const result = await runExperiment(small({ epochs: 10, stopAtAccuracy: 0.7 }), data, { ...options(), evaluate: false });
    expect(result.stopReason.kind).toBe('target-reached');
    expect(result.epochs.length).toBeLessThan(10);
    expect(result.epochs.at(-1)!.accuracy).toBeGreaterThanOrEqual(0.7);
    expect(result.epochs.slice(0, -1).every((epoch) => epoch.accuracy < 0.7)).toBe(true);
  });

  it('cancels within one batch', async () => {
    let batchesAfterCancel = 0;
    let cancelled = false;
    const result = await runExperiment(small({ epochs: 3, batchSize: 16 }), data, {
      ...options(),
      progressIntervalMs: 0,
      onBatch: (progress) => {
        if (cancelled) batchesAfterCancel += 1;
        // Engines that run several steps per call report at the end of a group: the first report from batch 10 on.
        if (progress.batch >= 10) cancelled = true;
      },
      shouldStop: () => cancelled,
    });
    expect(result.stopReason).toEqual({ kind: 'cancelled', epoch: 0 });
    expect(batchesAfterCancel).toBe(0);
    expect(result.evaluation).toBeNull();
  });

  it('fails before training with the explained error when labels do not fit the outputs (exercise 4)', async () => {
    const before = tf.memory().numTensors;
    const result = await runExperiment(small({ outputUnits: 5 }), data, options());
    expect(result.stopReason).toMatchObject({ kind: 'failed', failure: { code: 'label-out-of-range', detail: 'label 9 is outside 0-4 for 5 outputs' } });
    expect(result.epochs).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails before training with the shape explanation when Flatten is missing (exercise 3)', async () => {
    const result = await runExperiment(small({ flatten: false }), data, options());
    expect(result.stopReason).toMatchObject({ kind: 'failed', failure: { code: 'shape-mismatch' } });
    expect(result.epochs).toEqual([]);
  });

  it('stops early on validation loss and restores the weights of the best epoch, which the saved model holds', async () => {
    const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-models-'));
    try {
      const spec = small({ epochs: 30, validationSplit: 0.2, earlyStoppingPatience: 2, restoreBestWeights: true, hiddenUnits: 128 });
      const result = await runExperiment(spec, data, { ...options(), trainExamples: 1500, modelDir });
      expect(result.stopReason.kind).toBe('early-stopped');
      if (result.stopReason.kind !== 'early-stopped') return;
      const validation = result.epochs.map((epoch) => epoch.valLoss!);
      const best = Math.min(...validation);
      expect(validation[result.stopReason.bestEpoch - 1]).toBe(best);
      expect(validation.at(-1)!).toBeGreaterThan(best);
      // The validation examples are the last 20% of the 1,500, taken before shuffling.
      const pixels = data.train.images.length / data.train.count;
      const held = { images: data.train.images.subarray(1200 * pixels, 1500 * pixels), labels: data.train.labels.subarray(1200, 1500), count: 300 };
      const model = await loadModel(result.modelPath!);
      const saved = await lossAndAccuracy(model, held, spec.normalize);
      model.dispose();
      expect(saved.loss).toBeCloseTo(best, 4);
    } finally {
      fs.rmSync(modelDir, { recursive: true, force: true });
    }
  });
}
