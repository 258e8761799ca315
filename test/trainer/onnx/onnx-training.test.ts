/**
 * @jest-environment ./test/support/one-realm-environment.ts
 */
import { defaultSpec } from '../../../src/experiments/spec';
import { selectBackend } from '../../../src/trainer/backend';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../../src/trainer/dataset';
import type { FusedEngine } from '../../../src/trainer/fused/fused-engine';
import type { OnnxEngine } from '../../../src/trainer/onnx/onnx-engine';
import { runExperiment } from '../../../src/trainer/train';
import { exerciseOutcomes } from '../../experiments/exercise-proofs';
import { runOutcomes } from '../run-proofs';

const data = readFashionMnist(DEBIAN_DATASET_DIR);
let engine: FusedEngine;

beforeAll(async () => {
  const { engine: choice } = await selectBackend('onnx', { threads: 2 });
  engine = await choice!.create(data);
});

afterAll(() => engine.dispose());

describe('runExperiment on the fused CPU engine', () => {
  runOutcomes(data, () => ({ backend: 'onnx', engine }));
});

describe('the exercises on the fused CPU engine', () => {
  exerciseOutcomes((spec, trainExamples) => runExperiment(spec, data, { runId: 'exercise-test', backend: 'onnx', engine, trainExamples }));
});

describe('the fused CPU engine across jobs', () => {
  it('holds a bounded number of sessions and does not grow in memory over 20 jobs of different shapes', async () => {
    const job = (index: number) =>
      runExperiment(defaultSpec({ hiddenUnits: 16 + 16 * (index % 16), epochs: 1, seed: index, validationSplit: 0.2 }), data, {
        runId: `job-${index}`,
        backend: 'onnx',
        engine,
        trainExamples: 1000,
      });
    const rssAfter: number[] = [];
    for (let index = 0; index < 20; index++) {
      const result = await job(index);
      expect(result.stopReason).toEqual({ kind: 'completed' });
      rssAfter.push(process.memoryUsage().rss);
    }
    // 16 shapes, each with a training and an evaluation session: more than the cache keeps.
    expect((engine as OnnxEngine).sessionCount).toBeLessThanOrEqual(12);
    // The first jobs fill the cache; afterwards RSS stays within the noise of the garbage collector.
    const settled = rssAfter[7];
    expect(Math.max(...rssAfter.slice(8)) - settled).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('a full run on the fused CPU engine', () => {
  it('reaches the test accuracy of the wasm path with the same seed, over 5 epochs of the 60,000 images', async () => {
    const spec = defaultSpec({ epochs: 5, seed: 11 });
    const fused = await runExperiment(spec, data, { runId: 'fused-full', backend: 'onnx', engine });
    // TensorFlow.js on wasm (selectBackend('onnx') made it the active backend): minutes on 2 cores.
    const wasm = await runExperiment(spec, data, { runId: 'wasm-full', backend: 'wasm' });
    expect(fused.stopReason).toEqual({ kind: 'completed' });
    expect(wasm.stopReason).toEqual({ kind: 'completed' });
    expect(fused.evaluation!.testAccuracy).toBeGreaterThan(0.85);
    expect(Math.abs(fused.evaluation!.testAccuracy - wasm.evaluation!.testAccuracy)).toBeLessThanOrEqual(0.01);
  });
});
