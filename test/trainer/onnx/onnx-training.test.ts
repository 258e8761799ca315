/**
 * @jest-environment ./test/support/one-realm-environment.ts
 */
import { defaultSpec } from '../../../src/experiments/spec';
import { selectBackend } from '../../../src/trainer/backend';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../../src/trainer/dataset';
import type { FusedEngine } from '../../../src/trainer/fused/fused-engine';
import { createOnnxEngine, type OnnxEngine } from '../../../src/trainer/onnx/onnx-engine';
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
  it('shares one session per layout across widths, and does not grow in memory over 32 jobs', async () => {
    const own = (await createOnnxEngine(data, { threads: 2 })) as OnnxEngine;
    try {
      const rssAfter: number[] = [];
      // Two rounds of the same 16 widths, each job trained and validated.
      for (let index = 0; index < 32; index++) {
        const spec = defaultSpec({ hiddenUnits: 16 + 16 * (index % 16), epochs: 1, seed: index, validationSplit: 0.2 });
        const result = await runExperiment(spec, data, { runId: `job-${index}`, backend: 'onnx', engine: own, trainExamples: 1000 });
        expect(result.stopReason).toEqual({ kind: 'completed' });
        rssAfter.push(process.memoryUsage().rss);
      }
      // One training and one evaluation session served all 16 widths.
      expect(own.sessionCount).toBe(2);
      // The second round needs nothing the first did not: RSS stays within the noise of the garbage collector.
      const firstRound = Math.max(...rssAfter.slice(0, 16));
      expect(Math.max(...rssAfter.slice(16)) - firstRound).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await own.dispose();
    }
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
    // Waits for 10 epochs of 60,000 images, 5 of them on single-threaded wasm: 4.5 minutes on the busy 2-core machine.
  }, 20 * 60_000);
});
