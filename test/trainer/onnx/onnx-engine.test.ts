/**
 * @jest-environment ./test/support/one-realm-environment.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { defaultSpec, type ExperimentSpec } from '../../../src/experiments/spec';
import { makeBatch, pixelScale } from '../../../src/trainer/batches';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../../src/trainer/dataset';
import { denseNetworkOf, parameterShapes } from '../../../src/trainer/fused/dense-network';
import type { FusedModel } from '../../../src/trainer/fused/fused-engine';
import { buildModel, sparseCategoricalCrossentropy } from '../../../src/trainer/model';
import { createOnnxEngine, OnnxEngine } from '../../../src/trainer/onnx/onnx-engine';
import { optimizerSettingsOf } from '../../../src/trainer/optimizer-settings';
import { createTfjsOptimizer } from '../../../src/trainer/tfjs-trainee';
import type { EpochHooks } from '../../../src/trainer/trainee';

const data = readFashionMnist(DEBIAN_DATASET_DIR);
let engine: OnnxEngine;

beforeAll(async () => {
  await tf.setBackend('cpu');
  engine = (await createOnnxEngine(data, { threads: 2 })) as OnnxEngine;
});

afterAll(() => engine.dispose());

const quiet: EpochHooks = { shouldStop: () => false, progressDue: () => false, onProgress: () => undefined };

/** The same indices for both sides: the first examples of the training set, scattered a little. */
const batchOf = (size: number) => Uint32Array.from({ length: size }, (_, i) => (i * 37) % data.train.count);

/** What TensorFlow.js (cpu backend) computes from the spec's seeded initial weights. */
async function reference(spec: ExperimentSpec, batches: Uint32Array[]) {
  const model = buildModel(spec);
  const initial = await Promise.all(model.getWeights().map((weight) => weight.data() as Promise<Float32Array>));
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const first = makeBatch(data.train, batches[0], spec.normalize);
  const probabilities = tf.tidy(() => model.apply(first.images) as tf.Tensor2D);
  const { value, grads } = tf.variableGrads(() => sparseCategoricalCrossentropy(model.apply(first.images, { training: true }) as tf.Tensor2D, first.labels), variables);
  const result = {
    initial,
    probabilities: (await probabilities.data()) as Float32Array,
    loss: (await value.data())[0],
    gradients: await Promise.all(variables.map((variable) => grads[variable.name].data() as Promise<Float32Array>)),
  };
  tf.dispose([probabilities, value, first.images, first.labels, ...Object.values(grads)]);
  const optimizer = createTfjsOptimizer(optimizerSettingsOf(spec));
  for (const indices of batches) {
    const batch = makeBatch(data.train, indices, spec.normalize);
    tf.dispose(optimizer.minimize(() => sparseCategoricalCrossentropy(model.apply(batch.images, { training: true }) as tf.Tensor2D, batch.labels), false, variables) ?? []);
    tf.dispose([batch.images, batch.labels]);
  }
  const trained = await Promise.all(model.getWeights().map((weight) => weight.data() as Promise<Float32Array>));
  optimizer.dispose();
  model.dispose();
  return { ...result, trained };
}

/** The largest difference, as a fraction of the largest magnitude in the expected values. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? difference : difference / scale;
}

/**
 * One step of TensorFlow.js' optimiser from `initial` with the given gradients. Adam's first step
 * is lr * g / (|g| + 1e-7): for a gradient of about 1e-9, left by cancellation in a sum, two
 * summation orders (both right to 1e-8 of the tensor's largest gradient) give steps apart by far
 * more than 1e-4, so the update is compared from the same gradients; the gradients are compared
 * on their own, and a whole epoch from TensorFlow.js' own gradients below.
 */
async function referenceStep(spec: ExperimentSpec, initial: Float32Array[], gradients: Float32Array[]): Promise<Float32Array[]> {
  const shapes = parameterShapes(denseNetworkOf(spec));
  const variables = initial.map((values, index) => tf.variable(tf.tensor(values, shapes[index])));
  const grads = Object.fromEntries(gradients.map((values, index) => [variables[index].name, tf.tensor(values, shapes[index])]));
  const optimizer = createTfjsOptimizer(optimizerSettingsOf(spec));
  optimizer.applyGradients(grads);
  const trained = await Promise.all(variables.map((variable) => variable.data() as Promise<Float32Array>));
  optimizer.dispose();
  tf.dispose([...variables, ...Object.values(grads)]);
  return trained;
}

async function opened(spec: ExperimentSpec, initial: Float32Array[]): Promise<FusedModel> {
  return engine.open(denseNetworkOf(spec), initial, optimizerSettingsOf(spec));
}

const layouts = [
  { name: 'one hidden layer', layers: { hiddenUnits: 128, extraLayerUnits: null } },
  { name: 'two hidden layers', layers: { hiddenUnits: 64, extraLayerUnits: 32 } },
];
const pixelsCases = [
  { name: 'normalised', normalize: true },
  { name: 'raw 0-255', normalize: false },
];
const optimizers = ['adam', 'sgd', 'rmsprop'] as const;

describe.each(layouts)('the ONNX engine on $name', ({ layers }) => {
  describe.each(pixelsCases)('with $name pixels', ({ normalize }) => {
    it('computes the probabilities, loss and every gradient TensorFlow.js computes', async () => {
      const spec = defaultSpec({ ...layers, normalize, seed: 3, batchSize: 32 });
      const indices = batchOf(32);
      const expected = await reference(spec, [indices]);
      const model = await opened(spec, expected.initial);
      const actual = await model.gradients(indices, pixelScale(normalize));
      model.dispose();
      expect(relativeError(actual.probabilities, expected.probabilities)).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(actual.loss - expected.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(expected.loss));
      expect(actual.gradients).toHaveLength(expected.gradients.length);
      actual.gradients.forEach((gradient, index) => expect(relativeError(gradient, expected.gradients[index])).toBeLessThanOrEqual(1e-4));
    });

    it.each(optimizers)('takes the step %s takes in TensorFlow.js', async (optimizer) => {
      const spec = defaultSpec({ ...layers, normalize, optimizer, seed: 4, batchSize: 32 });
      const indices = batchOf(32);
      const { initial } = await reference(spec, [indices]);
      const model = await opened(spec, initial);
      const { gradients } = await model.gradients(indices, pixelScale(normalize));
      await model.trainEpoch(indices, 32, pixelScale(normalize), quiet);
      const trained = await model.readWeights();
      model.dispose();
      const expected = await referenceStep(spec, initial, gradients);
      trained.forEach((weights, index) => expect(relativeError(weights, expected[index])).toBeLessThanOrEqual(1e-4));
    });
  });
});

describe('the ONNX engine on a short batch', () => {
  it('computes the gradients and the adam step of 7 examples as TensorFlow.js does', async () => {
    const spec = defaultSpec({ hiddenUnits: 64, extraLayerUnits: 32, seed: 6, batchSize: 32 });
    const indices = batchOf(7);
    const expected = await reference(spec, [indices]);
    const model = await opened(spec, expected.initial);
    const actual = await model.gradients(indices, pixelScale(true));
    await model.trainEpoch(indices, 32, pixelScale(true), quiet);
    const trained = await model.readWeights();
    model.dispose();
    expect(relativeError(actual.probabilities, expected.probabilities)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(actual.loss - expected.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(expected.loss));
    actual.gradients.forEach((gradient, index) => expect(relativeError(gradient, expected.gradients[index])).toBeLessThanOrEqual(1e-4));
    const stepped = await referenceStep(spec, expected.initial, actual.gradients);
    trained.forEach((weights, index) => expect(relativeError(weights, stepped[index])).toBeLessThanOrEqual(1e-4));
  });
});

describe('the ONNX engine over an epoch', () => {
  it('trains a short last batch, and counts adam steps across groups, as TensorFlow.js does', async () => {
    const spec = defaultSpec({ hiddenUnits: 64, seed: 5, batchSize: 16 });
    // 70 batches of 16 and a last batch of 5: more than one group of steps, then the short batch alone.
    const order = Uint32Array.from({ length: 70 * 16 + 5 }, (_, i) => (i * 53) % data.train.count);
    const batches = Array.from({ length: 71 }, (_, b) => order.subarray(b * 16, (b + 1) * 16));
    const expected = await reference(spec, batches);
    const model = await opened(spec, expected.initial);
    const result = await model.trainEpoch(order, 16, pixelScale(true), quiet);
    const trained = await model.readWeights();
    model.dispose();
    expect(result!.loss).toBeGreaterThan(0);
    // 71 steps, each from gradients a little apart (see referenceStep): 1e-3 of the largest weight.
    trained.forEach((weights, index) => expect(relativeError(weights, expected.trained[index])).toBeLessThanOrEqual(1e-3));
  });
});
