import * as tf from '@tensorflow/tfjs-core';
import { defaultSpec } from '../../src/experiments/spec';
import { selectBackend } from '../../src/trainer/backend';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { runExperiment } from '../../src/trainer/train';

/**
 * The course's model with every default (Flatten, Dense 512 relu, Dense 10 softmax, Adam, batch
 * 32, 5 epochs, inputs 0-1) on all 60,000 real training images reaches the course's accuracy.
 * This is the one full-size training run of the suite (about 1.5 minutes with the wasm fast path).
 */
test('five epochs of the default spec reach a test accuracy of at least 0.87', async () => {
  const { report: backend } = await selectBackend('wasm');
  const before = tf.memory().numTensors;
  const result = await runExperiment(defaultSpec({ seed: 11 }), readFashionMnist(DEBIAN_DATASET_DIR), { runId: 'course', backend: backend.name });
  expect(result.trainExamples).toBe(60000);
  expect(result.epochs).toHaveLength(5);
  expect(result.evaluation!.testAccuracy).toBeGreaterThanOrEqual(0.87);
  expect(tf.memory().numTensors).toBe(before);
}, 600_000);
