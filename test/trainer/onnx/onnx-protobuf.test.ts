/**
 * @jest-environment ./test/support/one-realm-environment.ts
 */
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../../src/trainer/onnx/onnx-protobuf';

describe('encodeModel', () => {
  it('writes a model onnxruntime loads and runs: initializers, attributes (a negative one too), symbolic dimensions', async () => {
    const model = encodeModel({
      opset: 17,
      graph: {
        name: 'check',
        nodes: [
          { op: 'Gemm', inputs: ['x', 'w'], outputs: ['y'], attributes: [{ name: 'alpha', kind: 'float', value: 2 }, { name: 'transB', kind: 'int', value: 1 }] },
          { op: 'Softmax', inputs: ['y'], outputs: ['p'], attributes: [{ name: 'axis', kind: 'int', value: -1 }] },
          { op: 'ReduceSum', inputs: ['y', 'axes'], outputs: ['total'], attributes: [{ name: 'keepdims', kind: 'int', value: 0 }] },
        ],
        initializers: [
          { name: 'w', type: 'float', dims: [2, 3], values: Float32Array.of(1, 0, 0, 0, 1, 1) },
          { name: 'axes', type: 'int64', dims: [1], values: BigInt64Array.of(1n) },
        ],
        inputs: [{ name: 'x', type: 'float', shape: ['batch', 3] }],
        outputs: [
          { name: 'p', type: 'float', shape: ['batch', 2] },
          { name: 'total', type: 'float', shape: ['batch'] },
        ],
      },
    });
    const session = await ort.InferenceSession.create(model);
    try {
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['p', 'total']);
      const x = Float32Array.of(1, 2, 3, 0, 0, 0, -1, 0, 1);
      const outputs = await session.run({ x: new ort.Tensor('float32', x, [3, 3]) });
      // y = 2 * x * w^T: per row [2 x0, 2 (x1 + x2)].
      const y = [[2, 10], [0, 0], [-2, 2]];
      expect(Array.from(outputs.total.data as Float32Array)).toEqual(y.map(([a, b]) => a + b));
      const p = outputs.p.data as Float32Array;
      y.forEach(([a, b], row) => {
        expect(p[2 * row]).toBeCloseTo(Math.exp(a) / (Math.exp(a) + Math.exp(b)), 6);
        expect(p[2 * row] + p[2 * row + 1]).toBeCloseTo(1, 6);
      });
    } finally {
      await session.release();
    }
  });

  it('writes a graph attribute that onnxruntime runs as the body of a Loop', async () => {
    const body = {
      name: 'body',
      nodes: [
        { op: 'Identity', inputs: ['condition'], outputs: ['condition_out'] },
        { op: 'Add', inputs: ['sum', 'step'], outputs: ['sum_out'] },
      ],
      initializers: [{ name: 'step', type: 'float' as const, dims: [], values: Float32Array.of(1.5) }],
      inputs: [
        { name: 'iteration', type: 'int64' as const, shape: [] },
        { name: 'condition', type: 'bool' as const, shape: [] },
        { name: 'sum', type: 'float' as const, shape: [] },
      ],
      outputs: [
        { name: 'condition_out', type: 'bool' as const, shape: [] },
        { name: 'sum_out', type: 'float' as const, shape: [] },
      ],
    };
    const model = encodeModel({
      opset: 17,
      graph: {
        name: 'loop',
        nodes: [{ op: 'Loop', inputs: ['trips', '', 'start'], outputs: ['end'], attributes: [{ name: 'body', kind: 'graph', value: body }] }],
        initializers: [],
        inputs: [
          { name: 'trips', type: 'int64', shape: [] },
          { name: 'start', type: 'float', shape: [] },
        ],
        outputs: [{ name: 'end', type: 'float', shape: [] }],
      },
    });
    const session = await ort.InferenceSession.create(model);
    try {
      const outputs = await session.run({ trips: new ort.Tensor('int64', BigInt64Array.of(4n), []), start: new ort.Tensor('float32', Float32Array.of(1), []) });
      expect((outputs.end.data as Float32Array)[0]).toBe(1 + 4 * 1.5);
    } finally {
      await session.release();
    }
  });
});
