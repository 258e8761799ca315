import { defaultSpec } from '../../../src/experiments/spec';
import { selectBackend } from '../../../src/trainer/backend';
import { firstExamples, pixelScale, shuffledIndices, seededRandom } from '../../../src/trainer/batches';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../../src/trainer/dataset';
import { denseNetworkOf } from '../../../src/trainer/fused/dense-network';
import { buildModel } from '../../../src/trainer/model';
import { optimizerSettingsOf } from '../../../src/trainer/optimizer-settings';
import { runExperiment } from '../../../src/trainer/train';
import type { EpochHooks } from '../../../src/trainer/trainee';
import { WebgpuEngine } from '../../../src/trainer/webgpu/webgpu-engine';
import { swiftShaderAdapter } from '../../support/swiftshader';

const data = readFashionMnist(DEBIAN_DATASET_DIR);
/** Small runs on real images, as on the wasm path (test/trainer/train.test.ts): a narrow hidden layer. */
const small = (overrides: Parameters<typeof defaultSpec>[0] = {}) => defaultSpec({ hiddenUnits: 32, batchSize: 32, seed: 1, ...overrides });
const quietHooks: EpochHooks = { shouldStop: () => false, progressDue: () => false, onProgress: () => undefined };

let engine: WebgpuEngine;

beforeAll(async () => {
  // The wasm path to compare with, and the backend tfjs' initial weights come from.
  await selectBackend('wasm');
  engine = await WebgpuEngine.create(await swiftShaderAdapter(), data);
});

afterAll(async () => {
  await engine.dispose();
});

const options = (extra: Partial<Parameters<typeof runExperiment>[2]> = {}) => ({ runId: 'test', backend: 'webgpu', trainExamples: 2000, engine, ...extra });

describe('training on the fused WGSL trainer (SwiftShader)', () => {
  it('ends a seeded 2-epoch run within 0.02 test accuracy of the wasm path, and frees every buffer of the run', async () => {
    const spec = small({ epochs: 2 });
    const before = engine.liveBuffers();
    let during = 0;
    const fused = await runExperiment(spec, data, options({ onEpoch: () => (during = engine.liveBuffers()) }));
    expect(during).toBeGreaterThan(before);
    expect(engine.liveBuffers()).toBe(before);
    const wasm = await runExperiment(spec, data, { runId: 'wasm', backend: 'wasm', trainExamples: 2000 });
    expect(fused.stopReason).toEqual({ kind: 'completed' });
    expect(fused.epochs).toHaveLength(2);
    expect(fused.epochs[1].loss).toBeLessThan(fused.epochs[0].loss);
    expect(Math.abs(fused.epochs[0].loss - wasm.epochs[0].loss)).toBeLessThan(0.01);
    const [fusedAccuracy, wasmAccuracy] = [fused.evaluation!.testAccuracy, wasm.evaluation!.testAccuracy];
    expect(wasmAccuracy).toBeGreaterThan(0.6);
    expect(Math.abs(fusedAccuracy - wasmAccuracy)).toBeLessThanOrEqual(0.02);
    expect(fused.evaluation!.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(10000);
  });

  it('validates on the last examples and stops at the target accuracy as the wasm path does', async () => {
    const spec = small({ epochs: 10, stopAtAccuracy: 0.7, validationSplit: 0.2 });
    const fused = await runExperiment(spec, data, options({ evaluate: false }));
    const wasm = await runExperiment(spec, data, { runId: 'wasm', backend: 'wasm', trainExamples: 2000, evaluate: false });
    expect(fused.stopReason.kind).toBe('target-reached');
    expect(fused.epochs.length).toBe(wasm.epochs.length);
    expect(fused.epochs.at(-1)!.accuracy).toBeGreaterThanOrEqual(0.7);
    for (const [i, epoch] of fused.epochs.entries()) {
      expect(epoch.valLoss).not.toBeNull();
      expect(Math.abs(epoch.valLoss! - wasm.epochs[i].valLoss!)).toBeLessThan(0.02);
    }
  });

  it('stops early on the validation loss, naming the best epoch', async () => {
    const spec = small({ epochs: 30, hiddenUnits: 64, earlyStoppingPatience: 2, validationSplit: 0.3, learningRate: 0.01 });
    const result = await runExperiment(spec, data, options({ trainExamples: 1000, evaluate: false }));
    expect(result.stopReason.kind).toBe('early-stopped');
    if (result.stopReason.kind !== 'early-stopped') return;
    expect(result.stopReason.epoch).toBeLessThan(30);
    expect(result.stopReason.epoch - result.stopReason.bestEpoch).toBe(2);
    const validation = result.epochs.map((epoch) => epoch.valLoss!);
    expect(Math.min(...validation)).toBe(validation[result.stopReason.bestEpoch - 1]);
  });

  it('puts the kept weights back exactly (restore_best_weights)', async () => {
    const spec = small();
    const train = firstExamples(data.train, 1000);
    const model = await engine.open(denseNetworkOf(spec), await runWeights(spec), optimizerSettingsOf(spec));
    const scale = pixelScale(spec.normalize);
    const random = seededRandom(5);
    await model.trainEpoch(shuffledIndices(train.count, random), 32, scale, quietHooks);
    model.keepWeights();
    const kept = await model.evaluate('test', 0, 500, scale);
    await model.trainEpoch(shuffledIndices(train.count, random), 32, scale, quietHooks);
    const later = await model.evaluate('test', 0, 500, scale);
    expect(later.loss).not.toBe(kept.loss);
    model.restoreKeptWeights();
    const restored = await model.evaluate('test', 0, 500, scale);
    expect(restored.loss).toBe(kept.loss);
    expect(Array.from(restored.predicted)).toEqual(Array.from(kept.predicted));
    model.dispose();
  });

  it('cancels after the group of steps in flight, submitting and reporting nothing after the cancel', async () => {
    let cancelled = false;
    let reportsAfterCancel = 0;
    let batchAtCancel = 0;
    let batches = 0;
    const stepsBefore = engine.deviceWork().steps;
    // 6,000 examples in batches of 64: 94 steps an epoch, in groups of 32.
    const result = await runExperiment(small({ epochs: 3, batchSize: 64 }), data, options({
      trainExamples: 6000,
      progressIntervalMs: 0,
      onBatch: (progress) => {
        if (cancelled) reportsAfterCancel += 1;
        cancelled = true;
        batchAtCancel = progress.batch;
        batches = progress.batches;
      },
      shouldStop: () => cancelled,
    }));
    expect(result.stopReason).toEqual({ kind: 'cancelled', epoch: 0 });
    expect(reportsAfterCancel).toBe(0);
    expect(batchAtCancel).toBeLessThan(batches);
    expect(engine.deviceWork().steps - stepsBefore).toBe(batchAtCancel);
    expect(result.evaluation).toBeNull();
  });

  it('ends the job with a clear reason when the device is lost', async () => {
    const doomed = await WebgpuEngine.create(await swiftShaderAdapter(), { ...data, train: firstExamples(data.train, 500), test: firstExamples(data.test, 100) });
    doomed.loseDevice();
    await expect(runExperiment(small(), data, { runId: 'lost', backend: 'webgpu', trainExamples: 500, engine: doomed })).rejects.toThrow(/GPU device was lost/);
  });
});

/** tfjs' seeded initial weights for a spec. */
async function runWeights(spec: ReturnType<typeof small>) {
  const model = buildModel(spec);
  const weights = await Promise.all(model.getWeights().map((weight) => weight.data() as Promise<Float32Array>));
  model.dispose();
  return weights;
}
