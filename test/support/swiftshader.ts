import { isCpuAdapter } from '../../src/trainer/backend';

interface WebgpuPackage {
  create: (options: string[]) => GPU;
}

/** Dawn's instance: once collected, its devices crash the process, so it stays referenced here. */
let instance: GPU | null = null;

/** The SwiftShader adapter that WebGPU tests run on (jest's global setup points Dawn at it). */
export async function swiftShaderAdapter(): Promise<GPUAdapter> {
  const { create } = (await import('webgpu')) as unknown as WebgpuPackage;
  instance ??= create([]);
  const adapter = await instance.requestAdapter();
  if (!adapter) throw new Error('Dawn found no adapter: is Debian\'s chromium installed (SwiftShader), and VK_ICD_FILENAMES set?');
  const { vendor, architecture, description } = adapter.info;
  if (!isCpuAdapter({ vendor, architecture, description })) throw new Error(`expected SwiftShader, got ${vendor} ${architecture} ${description}`);
  return adapter;
}
