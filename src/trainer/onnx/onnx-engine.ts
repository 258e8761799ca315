import type { FashionMnist } from '../dataset';
import type { DenseNetwork, DenseWeights } from '../fused/dense-network';
import type { FusedEngine, FusedModel } from '../fused/fused-engine';
import type { OptimizerSettings } from '../optimizer-settings';
import { OnnxModel } from './onnx-model';
import { SessionCache } from './session-cache';

/**
 * The fused CPU engine on onnxruntime-node: each network shape and optimiser is one ONNX graph
 * (a Loop over training steps), built in code, run on `threads` cores, its session kept across
 * jobs.
 */
export class OnnxEngine implements FusedEngine {
  readonly name = 'onnx-fused';
  private readonly sessions: SessionCache;

  constructor(
    private readonly data: FashionMnist,
    threads: number,
  ) {
    this.sessions = new SessionCache(threads);
  }

  /** Builds (or finds) the training and evaluation sessions first: a graph that cannot load fails the job before it trains. */
  async open(network: DenseNetwork, weights: DenseWeights, optimizer: OptimizerSettings): Promise<FusedModel> {
    await this.sessions.get('train', network, optimizer);
    await this.sessions.get('evaluate', network, optimizer);
    return new OnnxModel(this.sessions, this.data, network, weights, optimizer);
  }

  /** Sessions held now (tests check that they stay bounded across jobs). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  dispose(): Promise<void> {
    return this.sessions.dispose();
  }
}

export function createOnnxEngine(data: FashionMnist, options: { threads: number }): Promise<FusedEngine> {
  return Promise.resolve(new OnnxEngine(data, options.threads));
}
