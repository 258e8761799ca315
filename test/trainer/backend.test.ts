import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, selectBackend, type BackendLoader } from '../../src/trainer/backend';
import { disableWasmFastPath, isWasmFastPathEnabled } from '../../src/trainer/wasm-fast-path';

const failing =
  (reason: string): BackendLoader =>
  async () => {
    throw new Error(reason);
  };

afterEach(() => disableWasmFastPath());

describe('selectBackend', () => {
  it('picks wasm with the fast path when the faster engines cannot run, saying why each was skipped', async () => {
    const handlers = () => process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
    const handlersBefore = handlers();
    const { report, engine } = await selectBackend('auto', { loaders: { webgpu: failing('no GPU adapter found'), onnx: failing('onnxruntime-node is not installed') } });

    expect(report.name).toBe('wasm');
    expect(report.fastPath).toBe(true);
    expect(report.engine).toBeNull();
    expect(engine).toBeNull();
    expect(report.detail).toMatch(/WebAssembly/);
    expect(report.skipped).toEqual([
      { backend: 'webgpu', reason: 'no GPU adapter found' },
      { backend: 'onnx', reason: 'onnxruntime-node is not installed' },
    ]);
    expect(tf.getBackend()).toBe('wasm');
    expect(isWasmFastPathEnabled()).toBe(true);
    // The wasm module's rethrowing process handlers are gone again.
    expect(handlers()).toBe(handlersBefore);
  });

  it('falls back from a failing wasm loader to the real cpu backend', async () => {
    const { report } = await selectBackend('auto', { loaders: { webgpu: failing('no GPU'), onnx: failing('no onnx'), wasm: failing('wasm binary missing') } });

    expect(report.name).toBe('cpu');
    expect(report.fastPath).toBe(false);
    expect(report.skipped.map((skip) => skip.backend)).toEqual(['webgpu', 'onnx', 'wasm']);
    expect(report.skipped[2].reason).toBe('wasm binary missing');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('tries only the backend named by an explicit preference', async () => {
    const tensorflow = jest.fn(failing('should not be tried'));
    const { report } = await selectBackend('cpu', { loaders: { tensorflow } });

    expect(report).toEqual(expect.objectContaining({ name: 'cpu', skipped: [] }));
    expect(tensorflow).not.toHaveBeenCalled();
  });

  it('stops with an error naming TRAINER_BACKEND and the reason when the named backend cannot run', async () => {
    const attempt = selectBackend('tensorflow');

    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(
      'TRAINER_BACKEND is "tensorflow", but that backend cannot run here: @tensorflow/tfjs-node-gpu is not installed; ' +
        '@tensorflow/tfjs-node is not installed. Set TRAINER_BACKEND=auto to use the fastest backend that works.',
    );
  });

  it('does not fall back to another backend when the named one fails', async () => {
    const cpu = jest.fn(failing('should not be tried'));

    await expect(selectBackend('wasm', { loaders: { wasm: failing('out of memory'), cpu } })).rejects.toThrow(
      /TRAINER_BACKEND is "wasm", but that backend cannot run here: out of memory\./,
    );
    expect(cpu).not.toHaveBeenCalled();
  });

  it('lists every reason when no backend works at all', async () => {
    const attempt = selectBackend('auto', { loaders: { webgpu: failing('no GPU'), onnx: failing('no onnx'), wasm: failing('no wasm'), cpu: failing('no cpu') } });

    await expect(attempt).rejects.toThrow('No training backend works here (webgpu: no GPU; onnx: no onnx; wasm: no wasm; cpu: no cpu).');
  });
});
