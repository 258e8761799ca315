import type { FashionMnist, Split } from '../dataset';
import type { DenseNetwork, DenseWeights } from '../fused/dense-network';
import type { DeviceWork, FusedEngine, FusedModel } from '../fused/fused-engine';
import type { OptimizerSettings } from '../optimizer-settings';
import { BufferSet, GpuDevice } from './gpu-device';
import { PipelineCache } from './pipelines';
import { WebgpuModel, type EngineParts } from './webgpu-model';
import type { DeviceSplit } from './workspace';

function uploadSplit(buffers: BufferSet, name: string, split: Split): DeviceSplit {
  // The bytes as they are: on the device four pixels make one little-endian u32.
  return { images: buffers.upload(`${name} images`, split.images), labels: buffers.upload(`${name} labels`, Uint32Array.from(split.labels)), count: split.count };
}

/**
 * The fused WGSL trainer: one device per trainer process, the whole data set uploaded once as
 * bytes, and a model per job whose buffers go with it.
 */
export class WebgpuEngine implements FusedEngine {
  readonly name = 'webgpu-fused';
  private readonly work: DeviceWork = { steps: 0, dispatches: 0, submits: 0, epochs: 0, hostSeconds: 0 };
  private readonly parts: EngineParts;

  private constructor(
    private readonly gpu: GpuDevice,
    private readonly buffers: BufferSet,
    data: FashionMnist,
  ) {
    this.parts = {
      gpu,
      pipelines: new PipelineCache(gpu),
      data: { train: uploadSplit(buffers, 'train', data.train), test: uploadSplit(buffers, 'test', data.test) },
      work: this.work,
    };
  }

  static async create(adapter: GPUAdapter, data: FashionMnist): Promise<WebgpuEngine> {
    const gpu = await GpuDevice.open(adapter);
    const engine = new WebgpuEngine(gpu, new BufferSet(gpu), data);
    await gpu.idle();
    return engine;
  }

  async open(network: DenseNetwork, weights: DenseWeights, optimizer: OptimizerSettings): Promise<FusedModel> {
    this.gpu.check();
    return WebgpuModel.open(this.parts, network, weights, optimizer);
  }

  deviceWork(): DeviceWork {
    return { ...this.work };
  }

  /** GPU buffers alive on this engine's device (the data set's, and those of models not yet disposed). */
  liveBuffers(): number {
    return this.gpu.live;
  }

  /** Ends the device as if it were lost (tests of what a lost device does to a job). */
  loseDevice(): void {
    this.gpu.destroy();
  }

  async dispose(): Promise<void> {
    this.buffers.destroyAll();
    this.gpu.destroy();
  }
}

export function createWebgpuEngine(adapter: GPUAdapter, data: FashionMnist): Promise<FusedEngine> {
  return WebgpuEngine.create(adapter, data);
}
