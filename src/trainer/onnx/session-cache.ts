import * as ort from 'onnxruntime-node';
import type { DenseNetwork } from '../fused/dense-network';
import type { OptimizerSettings } from '../optimizer-settings';
import { denseGraph, type GraphKind } from './dense-graphs';

/**
 * Sessions kept across jobs. A graph depends on the number of layers and on the optimiser, not on
 * the widths (symbolic) nor the learning rate (an input): training graphs for two layer layouts
 * and three optimisers, evaluation and gradient graphs for each layout make at most 10 sessions,
 * so a process that runs every exercise builds each once and then reuses it, rather than building
 * and freeing sessions (whose native memory came back to the system only in part when they were
 * rebuilt for every width).
 */
const MAX_SESSIONS = 16;

/** What a session depends on. */
function keyOf(kind: GraphKind, network: DenseNetwork, optimizer: OptimizerSettings): string {
  const { learningRate: _learningRate, ...constants } = optimizer;
  return JSON.stringify([kind, network.sizes.length, network.sizes[0], kind === 'train' ? constants : null]);
}

export class SessionCache {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();

  constructor(private readonly threads: number) {}

  /**
   * The session for a graph, built on first use. A job uses its few sessions in turn, always
   * through here, so the ones it uses are the most recent and never the ones evicted.
   */
  async get(kind: GraphKind, network: DenseNetwork, optimizer: OptimizerSettings): Promise<ort.InferenceSession> {
    const key = keyOf(kind, network, optimizer);
    const known = this.sessions.get(key);
    if (known) {
      // Map order is insertion order: moving the key to the end keeps the oldest first.
      this.sessions.delete(key);
      this.sessions.set(key, known);
      return known;
    }
    const created = ort.InferenceSession.create(denseGraph(kind, network, optimizer), {
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Spinning pool threads took the cores from the JavaScript between runs and from everything
      // else on a busy 2-core machine: an epoch at batch 32 took 8.2 s spinning, 3.2 s without.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    this.sessions.set(key, created);
    let session: ort.InferenceSession;
    try {
      session = await created;
    } catch (error) {
      this.sessions.delete(key);
      throw new Error(`onnxruntime could not load the ${kind} graph of the network ${network.sizes.join('-')}`, { cause: error });
    }
    await this.evict();
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }

  async dispose(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map(async (session) => (await session).release()));
  }

  private async evict(): Promise<void> {
    while (this.sessions.size > MAX_SESSIONS) {
      const [oldestKey, oldest] = this.sessions.entries().next().value as [string, Promise<ort.InferenceSession>];
      this.sessions.delete(oldestKey);
      await (await oldest).release();
    }
  }
}
