import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { defaultSpec, type ExperimentSpecInput } from '../../../src/experiments/spec';
import { firstExamples, makeBatch, pixelScale, seededRandom } from '../../../src/trainer/batches';
import { DEBIAN_DATASET_DIR, readFashionMnist, type FashionMnist } from '../../../src/trainer/dataset';
import { trainEpoch } from '../../../src/trainer/epoch-loop';
import { denseNetworkOf, parameterShapes, type DenseWeights } from '../../../src/trainer/fused/dense-network';
import { buildModel, sparseCategoricalCrossentropy } from '../../../src/trainer/model';
import { optimizerSettingsOf } from '../../../src/trainer/optimizer-settings';
import { createTfjsOptimizer } from '../../../src/trainer/tfjs-trainee';
import type { EpochHooks } from '../../../src/trainer/trainee';
import { WebgpuEngine } from '../../../src/trainer/webgpu/webgpu-engine';
import { swiftShaderAdapter } from '../../support/swiftshader';

const full = readFashionMnist(DEBIAN_DATASET_DIR);
const data: FashionMnist = { ...full, train: firstExamples(full.train, 600), test: firstExamples(full.test, 300) };
const quietHooks: EpochHooks = { shouldStop: () => false, progressDue: () => false, onProgress: () => undefined };

let engine: WebgpuEngine;

beforeAll(async () => {
  await tf.setBackend('cpu');
  engine = await WebgpuEngine.create(await swiftShaderAdapter(), data);
});

afterAll(async () => {
  await engine.dispose();
});

/** Each tensor agrees within `tolerance` (1e-4) of its own largest magnitude. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let largest = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    largest = Math.max(largest, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  if (!(largest > 0)) throw new Error(`${what}: every value is 0 or not a number, nothing to compare`);
  if (worst > tolerance * largest) throw new Error(`${what}: max difference ${worst} against a largest magnitude of ${largest}`);
}

/** tfjs' seeded initial weights, with small non-zero biases so that the forward pass uses them. */
function startingWeights(spec: ReturnType<typeof defaultSpec>): DenseWeights {
  const model = buildModel(spec);
  const random = seededRandom(7);
  const weights = model.getWeights().map((weight) => {
    const values = Float32Array.from(weight.dataSync());
    if (weight.shape.length === 1) values.forEach((_, i) => (values[i] = (random() - 0.5) * 0.2));
    return values;
  });
  model.dispose();
  return weights;
}

function tfjsModel(spec: ReturnType<typeof defaultSpec>, weights: DenseWeights) {
  const model = buildModel(spec);
  const shapes = parameterShapes(denseNetworkOf(spec));
  model.setWeights(weights.map((values, i) => tf.tensor(values, shapes[i])));
  return model;
}

async function tfjsWeights(model: ReturnType<typeof buildModel>): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map((weight) => weight.data() as Promise<Float32Array>));
}

const layouts: [string, ExperimentSpecInput][] = [
  ['one hidden layer, normalised', { hiddenUnits: 24, normalize: true }],
  ['one hidden layer wider than a workgroup, normalised', { hiddenUnits: 100, normalize: true }],
  ['one hidden layer, raw 0-255', { hiddenUnits: 24, normalize: false, learningRate: 0.0001 }],
  ['two hidden layers, normalised', { hiddenUnits: 24, extraLayerUnits: 12, normalize: true }],
  ['two hidden layers, raw 0-255', { hiddenUnits: 24, extraLayerUnits: 12, normalize: false, learningRate: 0.0001 }],
];

describe.each(layouts)('the fused WGSL trainer on SwiftShader, %s', (_name, overrides) => {
  const spec = defaultSpec({ seed: 3, ...overrides });
  const scale = pixelScale(spec.normalize);
  // 150 rows: more than two 64-thread workgroups, a multiple of neither 64 nor 4.
  const indices = Uint32Array.from({ length: 150 }, (_, i) => (i * 13 + 5) % data.train.count);

  it('computes the probabilities, the loss and every gradient as TensorFlow.js does', async () => {
    const weights = startingWeights(spec);
    const model = await engine.open(denseNetworkOf(spec), weights, optimizerSettingsOf(spec));
    const fused = await model.gradients(indices, scale);
    model.dispose();

    const reference = tfjsModel(spec, weights);
    const batch = makeBatch(data.train, indices, spec.normalize);
    const variables = reference.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const probabilities = reference.predict(batch.images) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => sparseCategoricalCrossentropy(reference.apply(batch.images, { training: true }) as tf.Tensor2D, batch.labels), variables);
    expectClose(fused.probabilities, await probabilities.data(), 'probabilities');
    expect(Math.abs(fused.loss - (await value.data())[0])).toBeLessThanOrEqual(1e-4 * Math.abs((await value.data())[0]));
    for (const [i, variable] of variables.entries()) expectClose(fused.gradients[i], await grads[variable.name].data(), `gradient of ${variable.name}`);
    tf.dispose([probabilities, value, ...Object.values(grads), batch.images, batch.labels]);
    reference.dispose();
  });

  it.each(['adam', 'sgd', 'rmsprop'] as const)('applies %s steps as TensorFlow.js does, a short last batch included', async (optimizer) => {
    const stepSpec = { ...spec, optimizer, batchSize: 32 };
    const settings = optimizerSettingsOf(stepSpec);
    const weights = startingWeights(stepSpec);
    // 50 examples in batches of 32: a full batch, then one of 18.
    const order = Uint32Array.from({ length: 50 }, (_, i) => (i * 7 + 1) % data.train.count);
    const model = await engine.open(denseNetworkOf(stepSpec), weights, settings);
    const fused = await model.trainEpoch(order, stepSpec.batchSize, scale, quietHooks);
    const fusedWeights = await model.readWeights();
    model.dispose();

    const reference = tfjsModel(stepSpec, weights);
    const tfjsOptimizer = createTfjsOptimizer(settings);
    const expected = await trainEpoch(reference, tfjsOptimizer, data.train, order, { batchSize: stepSpec.batchSize, normalize: stepSpec.normalize, hooks: quietHooks });
    const expectedWeights = await tfjsWeights(reference);
    tfjsOptimizer.dispose();
    reference.dispose();

    expect(Math.abs(fused!.loss - expected!.loss)).toBeLessThanOrEqual(1e-4 * expected!.loss);
    expect(fused!.accuracy).toBeCloseTo(expected!.accuracy, 10);
    for (const [i, after] of expectedWeights.entries()) expectClose(fusedWeights[i], after, `parameter ${i} after the steps`);
    // The steps moved the parameters as tfjs' did (an update that did nothing would pass the check above for a small
    // learning rate). Looser: a difference of two close f32 values, and Adam's g / (|g| + eps) for tiny gradients.
    const change = (values: Float32Array[]) => Float32Array.from(values.flatMap((tensor, i) => Array.from(tensor, (value, j) => value - weights[i][j])));
    const [fusedChange, expectedChange] = [change(fusedWeights), change(expectedWeights)];
    // Raw pixels through two layers can saturate every softmax: tfjs' clip then stops every gradient, and so must ours.
    if (expectedChange.every((value) => value === 0)) expect(fusedChange.every((value) => value === 0)).toBe(true);
    else expectClose(fusedChange, expectedChange, 'change of the parameters', 1e-2);
  });
});
