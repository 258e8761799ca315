import type { GpuDevice } from './gpu-device';
import type { Kernel } from './kernels';

const COMPUTE_STAGE = 4;

/** A compiled kernel and the layout its bind groups follow (the Step uniform at a dynamic offset). */
export interface CompiledKernel {
  kernel: Kernel;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

/** Compiles each distinct shader once per device: models of the same shape and optimiser share them. */
export class PipelineCache {
  private readonly compiled = new Map<string, Promise<CompiledKernel>>();

  constructor(private readonly gpu: GpuDevice) {}

  compile(kernel: Kernel): Promise<CompiledKernel> {
    const cached = this.compiled.get(kernel.code);
    if (cached) return cached;
    const compiled = this.build(kernel);
    this.compiled.set(kernel.code, compiled);
    // A failed compilation is not kept: the next model asks again (and is told why).
    compiled.catch(() => this.compiled.delete(kernel.code));
    return compiled;
  }

  /** Rejects, with the compiler's message, when the shader or its layout is invalid. */
  private async build(kernel: Kernel): Promise<CompiledKernel> {
    const device = this.gpu.device;
    const layout = device.createBindGroupLayout({
      label: kernel.label,
      entries: [
        { binding: 0, visibility: COMPUTE_STAGE, buffer: { type: 'uniform', hasDynamicOffset: true } },
        ...kernel.bindings.map((binding, index) => ({
          binding: index + 1,
          visibility: COMPUTE_STAGE,
          buffer: { type: binding.write ? ('storage' as const) : ('read-only-storage' as const) },
        })),
      ],
    });
    // createComputePipelineAsync, several at once, aborts Dawn 0.6.2 (std::system_error): compile in an error scope instead.
    device.pushErrorScope('validation');
    const pipeline = device.createComputePipeline({
      label: kernel.label,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module: device.createShaderModule({ label: kernel.label, code: kernel.code }), entryPoint: 'main' },
    });
    const error = await device.popErrorScope();
    if (error) throw new Error(`the ${kernel.label} kernel did not compile: ${error.message}`);
    return { kernel, pipeline, layout };
  }
}
