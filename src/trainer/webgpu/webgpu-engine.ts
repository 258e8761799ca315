import type { FashionMnist } from '../dataset';
import type { FusedEngine } from '../fused/fused-engine';

/** The fused WGSL trainer on a WebGPU adapter. (Being built: see issue 9.) */
export async function createWebgpuEngine(_adapter: GPUAdapter, _data: FashionMnist): Promise<FusedEngine> {
  throw new Error('the fused WebGPU trainer is not built yet');
}
