/**
 * @jest-environment ./test/support/one-realm-environment.ts
 */
import { selectBackend } from '../../../src/trainer/backend';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../../src/trainer/dataset';
import type { FusedEngine } from '../../../src/trainer/fused/fused-engine';
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
