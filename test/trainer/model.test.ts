import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { defaultSpec } from '../../src/experiments/spec';
import { buildModel, checkSpecFitsData, countCorrect, sparseCategoricalCrossentropy } from '../../src/trainer/model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const labels = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('buildModel', () => {
  it('builds the course model: Flatten, Dense 512 relu, Dense 10 softmax', () => {
    const model = buildModel(defaultSpec());
    expect(model.layers.map((layer) => layer.getClassName())).toEqual(['Flatten', 'Dense', 'Dense']);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(model.countParams()).toBe(784 * 512 + 512 + 512 * 10 + 10);
    model.dispose();
  });

  it('adds the extra hidden layer when asked', () => {
    const model = buildModel(defaultSpec({ extraLayerUnits: 64 }));
    expect(model.layers.map((layer) => layer.outputShape)).toEqual([[null, 784], [null, 512], [null, 64], [null, 10]]);
    model.dispose();
  });

  it('builds the same weights twice from the same seed', () => {
    const kernels = (seed: number) => {
      const model = buildModel(defaultSpec({ seed, hiddenUnits: 8 }));
      const values = model.getWeights().map((weight) => Array.from(weight.dataSync()));
      model.dispose();
      return values;
    };
    expect(kernels(7)).toEqual(kernels(7));
    expect(kernels(7)[0]).not.toEqual(kernels(8)[0]);
  });
});

describe('checkSpecFitsData', () => {
  it('explains the shape problem of a model without Flatten (exercise 3), as the model built without it has', () => {
    const spec = defaultSpec({ flatten: false });
    const model = buildModel(spec);
    expect(model.outputs[0].shape).toEqual([null, 28, 10]);
    model.dispose();
    expect(checkSpecFitsData(spec, labels)).toMatchObject({ code: 'shape-mismatch', params: { outputShape: '(28, 10)' } });
  });

  it('says label 9 is outside 0-4 for 5 outputs (exercise 4)', () => {
    expect(checkSpecFitsData(defaultSpec({ outputUnits: 5 }), labels)).toEqual({
      code: 'label-out-of-range',
      params: { label: 9, outputs: 5, lastValid: 4 },
      detail: 'label 9 is outside 0-4 for 5 outputs',
    });
  });

  it('accepts ten outputs or more', () => {
    for (const outputUnits of [10, 12]) {
      expect(checkSpecFitsData(defaultSpec({ outputUnits, hiddenUnits: 4 }), labels)).toBeNull();
    }
  });
});

describe('loss and accuracy', () => {
  it('computes sparse categorical cross-entropy and hits like Keras', () => {
    const probabilities = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const truth = tf.tensor1d([0, 1], 'int32');
    const loss = sparseCategoricalCrossentropy(probabilities, truth);
    expect(loss.dataSync()[0]).toBeCloseTo(-(Math.log(0.7) + Math.log(0.1)) / 2, 5);
    expect(countCorrect(probabilities, truth).dataSync()[0]).toBe(1);
    tf.dispose([probabilities, truth, loss]);
  });
});
