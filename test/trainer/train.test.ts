import { selectBackend } from '../../src/trainer/backend';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { runOutcomes } from './run-proofs';

const data = readFashionMnist(DEBIAN_DATASET_DIR);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('runExperiment on TensorFlow.js (wasm)', () => {
  runOutcomes(data, () => ({ backend: 'wasm' }));
});
