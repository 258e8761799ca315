import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  disableWasmFastPath,
  enableWasmFastPath,
  isWasmFastPathEnabled,
} from '../../src/trainer/wasm-fast-path';

const TOLERANCE = 1e-4;
const PATCHED = [tf.BatchMatMul, tf._FusedMatMul, tf.Slice, tf.GatherV2];

/** Deterministic values in [-1, 1), so both backends see exactly the same inputs. */
function seededValues(count: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: count }, () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return (state / 4294967296) * 2 - 1;
  });
}

function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Runs `compute` on one backend and returns the values of every tensor it returns. */
async function valuesOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const values = outputs.map((output) => output.dataSync() as Float32Array);
  tf.dispose(outputs);
  return values;
}

async function expectSameOnWasmAndCpu(compute: () => tf.Tensor[]): Promise<void> {
  const expected = await valuesOn('cpu', compute);
  const actual = await valuesOn('wasm', compute);
  expect(actual).toHaveLength(expected.length);
  actual.forEach((values, i) => {
    expect(values).toHaveLength(expected[i].length);
    const worst = values.reduce((max, value, j) => Math.max(max, Math.abs(value - expected[i][j])), 0);
    expect(worst).toBeLessThan(TOLERANCE);
  });
}

function wasmDataIds(): number {
  return tf.engine().findBackend('wasm')!.numDataIds();
}

const stockConfigs = PATCHED.map((name) => tf.getKernel(name, 'wasm')!);

beforeAll(async () => {
  await tf.setBackend('wasm');
  enableWasmFastPath();
});

afterAll(() => disableWasmFastPath());

describe('matrix products on the wasm fast path', () => {
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  // A tall result (more rows than columns) keeps the operand order; a wide one is computed swapped.
  const outputs = [
    ['tall', 5, 3],
    ['wide', 3, 11],
  ] as const;
  const cases = outputs.flatMap(([kind, rows, columns]) => flags.map(([tA, tB]) => [kind, tA, tB, rows, columns] as const));

  it.each(cases)('equal the cpu backend in 2-D for a %s result with transposeA=%s, transposeB=%s', async (_kind, transposeA, transposeB, rows, columns) => {
    const a = transposeA ? [7, rows] : [rows, 7];
    const b = transposeB ? [columns, 7] : [7, columns];
    await expectSameOnWasmAndCpu(() => [tf.matMul(seededTensor(a, 1), seededTensor(b, 2), transposeA, transposeB)]);
  });

  it.each(cases)('equal the cpu backend batched (rank 3) for a %s result with transposeA=%s, transposeB=%s', async (_kind, transposeA, transposeB, rows, columns) => {
    const a = transposeA ? [4, 6, rows] : [4, rows, 6];
    const b = transposeB ? [4, columns, 6] : [4, 6, columns];
    await expectSameOnWasmAndCpu(() => [tf.matMul(seededTensor(a, 3), seededTensor(b, 4), transposeA, transposeB)]);
  });

  it('equal the cpu backend for a batch of one (rank 3) broadcast against a matrix', async () => {
    await expectSameOnWasmAndCpu(() => [tf.matMul(seededTensor([1, 3, 6], 5), seededTensor([6, 11], 6))]);
  });

  it.each(flags)('equal the cpu backend fused with bias and relu, transposeA=%s, transposeB=%s', async (transposeA, transposeB) => {
    const a = transposeA ? [9, 8] : [8, 9];
    const b = transposeB ? [4, 9] : [9, 4];
    await expectSameOnWasmAndCpu(() => [
      tf.fused.matMul({
        a: seededTensor(a, 5) as tf.Tensor2D,
        b: seededTensor(b, 6) as tf.Tensor2D,
        transposeA,
        transposeB,
        bias: seededTensor([4], 7),
        activation: 'relu',
      }),
    ]);
  });

  it('report mismatched operands in the order the caller gave them', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([5, 9])))).toThrow(
      'Error in matMul: inner shapes (4) and (5) of Tensors with shapes 3,4 and 5,9',
    );
  });

  it('give the gradients of a small Dense model (relu, softmax) that the cpu backend gives', async () => {
    const gradients = () => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [12], units: 16, activation: 'relu' }),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.setWeights(model.getWeights().map((weight, i) => seededTensor(weight.shape, 10 + i)));
      const x = seededTensor([6, 12], 20);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 9, 2, 5, 7], 'int32'), 10);
      const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, tf.log(model.apply(x, { training: true }) as tf.Tensor)),
        variables,
      );
      const result = variables.map((variable) => grads[variable.name]);
      model.dispose();
      return result;
    };
    await expectSameOnWasmAndCpu(gradients);
  });

  /** Runs `compute` with a spy on the stock BatchMatMul kernel; returns what the stock kernel saw. */
  function stockProductCalls(compute: () => void): string[] {
    disableWasmFastPath();
    const stock = tf.getKernel(tf.BatchMatMul, 'wasm')!;
    const calls: string[] = [];
    tf.unregisterKernel(tf.BatchMatMul, 'wasm');
    tf.registerKernel({
      ...stock,
      kernelFunc: (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        calls.push(`${a.shape.join('x')} ${args.attrs?.transposeA ? 'T' : 'N'} by ${b.shape.join('x')} ${args.attrs?.transposeB ? 'T' : 'N'}`);
        return stock.kernelFunc(args);
      },
    });
    enableWasmFastPath();
    try {
      tf.tidy(compute);
    } finally {
      disableWasmFastPath();
      tf.unregisterKernel(tf.BatchMatMul, 'wasm');
      tf.registerKernel(stock);
      enableWasmFastPath();
    }
    return calls;
  }

  it('hand the stock kernel explicit transposes instead of transpose flags', async () => {
    await tf.setBackend('wasm');
    const calls = stockProductCalls(() => tf.matMul(seededTensor([7, 5], 1), seededTensor([3, 7], 2), true, true));
    expect(calls).toEqual(['5x7 N by 7x3 N']);
  });

  it('swap a wide product with new weights, and leave weights that come back to the packing cache', async () => {
    await tf.setBackend('wasm');
    const calls = stockProductCalls(() => {
      const weights = seededTensor([784, 512], 8);
      const batch = seededTensor([32, 784], 9);
      tf.matMul(batch, weights);
      tf.matMul(batch, weights);
    });
    expect(calls).toEqual(['512x784 N by 784x32 N', '32x784 N by 784x512 N']);
  });
});

describe('slices and gathers on the wasm fast path', () => {
  const rows = () => seededTensor([50, 6], 30);

  it('equal the cpu backend for contiguous and strided slices', async () => {
    await expectSameOnWasmAndCpu(() => [tf.slice(rows(), [7, 0], [9, 6]), tf.slice(rows(), [7, 2], [9, 3])]);
  });

  it('equal the cpu backend for row gathers and for gathers along another axis', async () => {
    const indices = () => tf.tensor1d([49, 0, 7, 7, 21], 'int32');
    await expectSameOnWasmAndCpu(() => [tf.gather(rows(), indices()), tf.gather(rows(), tf.tensor1d([5, 1], 'int32'), 1)]);
  });

  it('keep int32 values exact', async () => {
    await tf.setBackend('wasm');
    const labels = tf.tensor1d([4, 8, 15, 16, 23, 42], 'int32');
    expect(Array.from(tf.gather(labels, tf.tensor1d([5, 0], 'int32')).dataSync())).toEqual([42, 4]);
    expect(Array.from(tf.slice(labels, 2, 3).dataSync())).toEqual([15, 16, 23]);
    tf.dispose(labels);
  });

  it('reject a row index out of range without leaking memory', async () => {
    await tf.setBackend('wasm');
    const x = rows();
    const indices = tf.tensor1d([3, 50], 'int32');
    const before = wasmDataIds();
    expect(() => tf.gather(x, indices)).toThrow('GatherV2: the index value 50 is not in [0, 49]');
    expect(wasmDataIds()).toBe(before);
    tf.dispose([x, indices]);
  });
});

describe('switching the fast path', () => {
  it('leaks neither tensors nor wasm memory over products, gradients, slices and gathers', async () => {
    await tf.setBackend('wasm');
    const a = seededTensor([2, 8, 5], 40);
    const b = seededTensor([2, 6, 5], 41);
    const tensorsBefore = tf.memory().numTensors;
    const dataBefore = wasmDataIds();
    tf.tidy(() => {
      tf.matMul(a, b, false, true);
      tf.matMul(a, a, true, false);
      tf.matMul(tf.slice(a, [0, 0, 0], [1, 8, 5]), seededTensor([5, 30], 42));
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([a, b]);
      tf.gather(tf.slice(a, [1, 0, 0], [1, 8, 5]), tf.tensor1d([0], 'int32'));
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(wasmDataIds()).toBe(dataBefore);
    tf.dispose([a, b]);
  });

  it('disable puts the very stock kernels back and enable is idempotent', () => {
    enableWasmFastPath();
    enableWasmFastPath();
    expect(isWasmFastPathEnabled()).toBe(true);
    PATCHED.forEach((name, i) => expect(tf.getKernel(name, 'wasm')).not.toBe(stockConfigs[i]));

    disableWasmFastPath();
    disableWasmFastPath();
    expect(isWasmFastPathEnabled()).toBe(false);
    PATCHED.forEach((name, i) => expect(tf.getKernel(name, 'wasm')).toBe(stockConfigs[i]));

    enableWasmFastPath();
  });

  it('gives the same products with the stock kernels after disable', async () => {
    disableWasmFastPath();
    try {
      await expectSameOnWasmAndCpu(() => [tf.matMul(seededTensor([7, 5], 1), seededTensor([3, 7], 2), true, true)]);
    } finally {
      enableWasmFastPath();
    }
  });
});
