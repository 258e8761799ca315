import type { FashionMnist } from '../dataset';
import type { FusedEngine } from '../fused/fused-engine';

/** The fused CPU engine on onnxruntime-node. (Being built: see issue 10.) */
export async function createOnnxEngine(_data: FashionMnist, _options: { threads: number }): Promise<FusedEngine> {
  throw new Error('the fused CPU engine is not built yet');
}
