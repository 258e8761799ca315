import { selectBackend } from '../../src/trainer/backend';
import { defaultSpec } from '../../src/experiments/spec';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { buildModel } from '../../src/trainer/model';
import { predictProbabilities, testImage } from '../../src/trainer/predict';
import { runExperiment } from '../../src/trainer/train';
import { exerciseOutcomes } from './exercise-proofs';

/** What each exercise must show a student (DESIGN.md), on the real images, trained by TensorFlow.js on wasm. */
const data = readFashionMnist(DEBIAN_DATASET_DIR);

beforeAll(async () => {
  await selectBackend('wasm');
});

test('1: the ten outputs are probabilities that sum to 1, and the largest names the item', async () => {
  const model = buildModel(defaultSpec({ hiddenUnits: 32, seed: 1 }));
  const probabilities = await predictProbabilities(model, testImage(data.test, 0).pixels, true);
  model.dispose();
  expect(probabilities).toHaveLength(10);
  expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
});

exerciseOutcomes((spec, trainExamples) => runExperiment(spec, data, { runId: 'exercise-test', backend: 'wasm', trainExamples }));
