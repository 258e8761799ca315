/**
 * @jest-environment ./test/support/one-realm-environment.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../src/trainer/backend';

describe('choosing the fused CPU engine', () => {
  it('is what auto takes without a GPU, reporting its name and threads, with wasm for the class model', async () => {
    const noGpu = () => Promise.reject(new Error('no GPU adapter found'));
    const { report, engine } = await selectBackend('auto', { threads: 3, loaders: { webgpu: noGpu } });
    expect(report.name).toBe('onnx');
    expect(report.engine).toEqual({ name: 'onnx-fused', threads: 3, adapter: null });
    expect(report.detail).toContain('3 threads');
    expect(report.skipped).toEqual([{ backend: 'webgpu', reason: 'no GPU adapter found' }]);
    expect(engine).toMatchObject({ name: 'onnx-fused', threads: 3 });
    expect(tf.getBackend()).toBe('wasm');
  });
});
