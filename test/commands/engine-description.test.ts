import { engineDescription } from '../../src/commands/engine-description';
import { translator } from '../../src/i18n/translate';
import type { BackendReport } from '../../src/protocol/backend-report';

const report = (overrides: Partial<BackendReport>): BackendReport => ({ name: 'wasm', detail: 'detail', fastPath: true, engine: null, skipped: [], ...overrides });
const en = translator('en');
const ko = translator('ko');

describe('engineDescription (the training engine of /status)', () => {
  it('names the fused CPU engine and its threads, in both languages', () => {
    const onnx = report({ name: 'onnx', engine: { name: 'onnx-fused', threads: 6, adapter: null } });
    expect(engineDescription(en, onnx)).toBe('onnx-fused: fused CPU engine on onnxruntime, 6 CPU threads');
    expect(engineDescription(ko, onnx)).toBe('onnx-fused: onnxruntime 기반 통합 CPU 엔진, CPU 스레드 6개');
  });

  it('names the GPU of the fused WebGPU trainer', () => {
    const webgpu = report({ name: 'webgpu', engine: { name: 'webgpu-fused', threads: null, adapter: { vendor: 'nvidia', architecture: 'hopper', description: '' } } });
    expect(engineDescription(en, webgpu)).toBe('webgpu-fused: fused WebGPU trainer on nvidia hopper');
    expect(engineDescription(ko, webgpu)).toContain('nvidia hopper');
  });

  it('says TensorFlow.js trains when no fused engine does', () => {
    expect(engineDescription(en, report({ name: 'wasm' }))).toBe('TensorFlow.js on wasm');
    expect(engineDescription(ko, report({ name: 'cpu' }))).toBe('cpu 위의 TensorFlow.js');
  });
});
