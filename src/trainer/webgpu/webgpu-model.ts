import type { DenseNetwork, DenseWeights } from '../fused/dense-network';
import type { DeviceWork, FusedModel, RangeEvaluation } from '../fused/fused-engine';
import type { OptimizerSettings } from '../optimizer-settings';
import type { EpochHooks } from '../trainee';
import { BufferSet, Usage, type GpuDevice } from './gpu-device';
import { WORKGROUP } from './kernels';
import { networkProgram, type NetworkProgram, type Stage } from './network-program';
import { flatten, parameterLayout, unflatten, type ParameterLayout } from './parameter-layout';
import type { CompiledKernel, PipelineCache } from './pipelines';
import { Workspace, type DeviceSplit, type ModelBuffers, type Source, type StepSlot } from './workspace';

/** What a model borrows from its engine: the device, the compiled kernels, the data set and the work counters. */
export interface EngineParts {
  gpu: GpuDevice;
  pipelines: PipelineCache;
  data: Record<Source, DeviceSplit>;
  work: DeviceWork;
}

/** Rows of an evaluation chunk (and the least a workspace holds). */
const EVALUATION_ROWS = 1024;
/**
 * Examples per submitted group of steps: 64 steps at batch 32, 16 at batch 128. A cancel or a
 * progress report waits for at most the group in flight and the next one, a few milliseconds of
 * a GPU's time; fewer, larger groups would save little host time.
 */
const GROUP_EXAMPLES = 2048;
const MAX_GROUP_STEPS = 256;

function groupSteps(batchSize: number): number {
  return Math.min(MAX_GROUP_STEPS, Math.max(1, Math.floor(GROUP_EXAMPLES / batchSize)));
}

/** Stat pairs the output layer writes for a batch: one per workgroup. */
function pairsOf(rows: number): number {
  return Math.ceil(rows / WORKGROUP);
}

/** Adam's running powers of beta, kept as tfjs keeps them (an f32 multiplied once per step). */
class BiasCorrection {
  private power1: number;
  private power2: number;

  constructor(private readonly optimizer: OptimizerSettings) {
    this.power1 = optimizer.kind === 'adam' ? Math.fround(optimizer.beta1) : 1;
    this.power2 = optimizer.kind === 'adam' ? Math.fround(optimizer.beta2) : 1;
  }

  /** 1 - beta1^t and 1 - beta2^t for the next step, then counts it. */
  next(): { c1: number; c2: number } {
    if (this.optimizer.kind !== 'adam') return { c1: 1, c2: 1 };
    const factors = { c1: Math.fround(1 - this.power1), c2: Math.fround(1 - this.power2) };
    this.power1 = Math.fround(this.power1 * Math.fround(this.optimizer.beta1));
    this.power2 = Math.fround(this.power2 * Math.fround(this.optimizer.beta2));
    return factors;
  }
}

/** One network trained by the fused WGSL trainer: its parameters, optimiser state and workspace live on the device. */
export class WebgpuModel implements FusedModel {
  private readonly buffers: BufferSet;
  private readonly trainStages: Stage[];
  private readonly state: ModelBuffers;
  private readonly correction: BiasCorrection;
  private workspace: Workspace | null = null;
  private kept: GPUBuffer | null = null;
  private disposed = false;

  private constructor(
    private readonly parts: EngineParts,
    private readonly network: DenseNetwork,
    private readonly layout: ParameterLayout,
    private readonly program: NetworkProgram,
    private readonly compiled: ReadonlyMap<Stage, CompiledKernel>,
    weights: DenseWeights,
    optimizer: OptimizerSettings,
  ) {
    this.buffers = new BufferSet(parts.gpu);
    this.trainStages = [...program.forward, ...program.backward, program.update];
    this.correction = new BiasCorrection(optimizer);
    const bytes = this.layout.total * 4;
    const storage = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;
    this.state = {
      params: this.buffers.upload('params', flatten(this.layout, weights), storage),
      grads: this.buffers.create('grads', bytes, storage),
      // The optimiser state starts at zero (cleared below).
      ...(optimizer.kind !== 'sgd' && { m: this.buffers.create('moment', bytes, Usage.STORAGE | Usage.COPY_DST) }),
      ...(optimizer.kind === 'adam' && { v: this.buffers.create('second moment', bytes, Usage.STORAGE | Usage.COPY_DST) }),
    };
    const { grads, m, v } = this.state;
    parts.gpu.clear([grads, ...(m ? [m] : []), ...(v ? [v] : [])]);
  }

  /** Compiles the network's kernels (once per shape and optimiser on a device), then puts its weights on the device. */
  static async open(parts: EngineParts, network: DenseNetwork, weights: DenseWeights, optimizer: OptimizerSettings): Promise<WebgpuModel> {
    const layout = parameterLayout(network);
    const program = networkProgram(layout, optimizer);
    const stages = [...program.forward, ...program.backward, program.update];
    const compiled = new Map<Stage, CompiledKernel>();
    for (const stage of stages) compiled.set(stage, await parts.gpu.settle(parts.pipelines.compile(stage.kernel)));
    return new WebgpuModel(parts, network, layout, program, compiled, weights, optimizer);
  }

  private get gpu(): GpuDevice {
    return this.parts.gpu;
  }

  /** The workspace, made (again) larger when a batch does not fit the one there is. */
  private workspaceFor(rows: number): Workspace {
    if (this.disposed) throw new Error('this WebGPU model was disposed');
    this.gpu.check();
    if (this.workspace && this.workspace.size.rows >= rows) return this.workspace;
    this.workspace?.destroy();
    const size = Math.max(EVALUATION_ROWS, rows);
    const examples = Math.max(this.parts.data.train.count, this.parts.data.test.count);
    this.workspace = new Workspace(
      this.buffers,
      { rows: size, slots: MAX_GROUP_STEPS, indices: Math.max(GROUP_EXAMPLES, size), statPairs: examples + pairsOf(examples) + pairsOf(size) + 1, predicted: examples },
      this.layout,
      this.program,
      this.state,
      this.parts.data,
      this.compiled,
      this.gpu.device.limits.maxComputeWorkgroupsPerDimension,
    );
    return this.workspace;
  }

  /** The sums of loss and hits over the first `pairs` stat pairs. */
  private async readStats(workspace: Workspace, pairs: number): Promise<{ lossSum: number; hits: number }> {
    const stats = new Float32Array(await this.gpu.read(workspace.stats, 0, pairs * 8));
    let lossSum = 0;
    let hits = 0;
    for (let i = 0; i < pairs; i++) {
      lossSum += stats[2 * i];
      hits += stats[2 * i + 1];
    }
    return { lossSum, hits };
  }

  /** Encodes one compute pass and submits it; returns how many dispatches it held. */
  private submit(encode: (pass: GPUComputePassEncoder) => number): number {
    const encoder = this.gpu.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    const dispatches = encode(pass);
    pass.end();
    this.gpu.device.queue.submit([encoder.finish()]);
    return dispatches;
  }

  async trainEpoch(order: Uint32Array, batchSize: number, scale: number, hooks: EpochHooks): Promise<{ loss: number; accuracy: number } | null> {
    const workspace = this.workspaceFor(batchSize);
    const work = this.parts.work;
    const count = order.length;
    const batches = Math.ceil(count / batchSize);
    const perGroup = groupSteps(batchSize);
    let pairs = 0;
    let inFlight: Promise<void> | null = null;
    for (let first = 0; first < batches; first += perGroup) {
      // A cancel heard while the previous group ran: nothing more is submitted.
      if (hooks.shouldStop()) {
        if (inFlight) await inFlight;
        return null;
      }
      this.gpu.check();
      const end = Math.min(batches, first + perGroup);
      const started = performance.now();
      const slots: StepSlot[] = [];
      for (let batch = first; batch < end; batch++) {
        const rows = Math.min(batchSize, count - batch * batchSize);
        slots.push({ base: (batch - first) * batchSize, rows, contiguous: false, statBase: pairs, scale, ...this.correction.next() });
        pairs += pairsOf(rows);
      }
      this.gpu.write(workspace.indices, 0, order.subarray(first * batchSize, Math.min(count, end * batchSize)));
      workspace.writeSlots(slots);
      work.dispatches += this.submit((pass) => slots.reduce((sum, slot, index) => sum + workspace.encode(pass, this.trainStages, 'train', index, slot.rows), 0));
      work.hostSeconds += (performance.now() - started) / 1000;
      work.submits += 1;
      work.steps += slots.length;
      const done = this.gpu.idle();
      done.catch(() => undefined);
      // Two groups in flight at most: the device stays busy while the next one is encoded.
      if (inFlight) await inFlight;
      inFlight = done;
      if (hooks.progressDue()) {
        const seen = Math.min(count, end * batchSize);
        const { lossSum, hits } = await this.readStats(workspace, pairs);
        hooks.onProgress({ batch: end, batches, loss: lossSum / seen, accuracy: hits / seen });
      }
    }
    if (inFlight) await inFlight;
    if (hooks.shouldStop()) return null;
    work.epochs += 1;
    const { lossSum, hits } = await this.readStats(workspace, pairs);
    return { loss: lossSum / count, accuracy: hits / count };
  }

  async evaluate(set: 'train' | 'test', first: number, count: number, scale: number): Promise<RangeEvaluation> {
    const workspace = this.workspaceFor(0);
    const rows = workspace.size.rows;
    const chunks = Math.ceil(count / rows);
    let pairs = 0;
    for (let round = 0; round < chunks; round += workspace.size.slots) {
      const slots: StepSlot[] = [];
      for (let chunk = round; chunk < Math.min(chunks, round + workspace.size.slots); chunk++) {
        const size = Math.min(rows, count - chunk * rows);
        slots.push({ base: first + chunk * rows, rows: size, contiguous: true, statBase: pairs, scale, c1: 1, c2: 1 });
        pairs += pairsOf(size);
      }
      workspace.writeSlots(slots);
      this.submit((pass) => slots.reduce((sum, slot, index) => sum + workspace.encode(pass, this.program.forward, set, index, slot.rows), 0));
    }
    const [{ lossSum, hits }, predicted] = await Promise.all([this.readStats(workspace, pairs), this.gpu.read(workspace.predicted, first * 4, count * 4)]);
    return { loss: lossSum / count, accuracy: hits / count, predicted: new Int32Array(predicted) };
  }

  async readWeights(): Promise<DenseWeights> {
    this.gpu.check();
    return unflatten(this.network, new Float32Array(await this.gpu.read(this.state.params, 0, this.layout.total * 4)));
  }

  private copy(source: GPUBuffer, target: GPUBuffer): void {
    this.gpu.check();
    const encoder = this.gpu.device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, target, 0, this.layout.total * 4);
    this.gpu.device.queue.submit([encoder.finish()]);
  }

  keepWeights(): void {
    this.kept ??= this.buffers.create('kept weights', this.layout.total * 4, Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST);
    this.copy(this.state.params, this.kept);
  }

  restoreKeptWeights(): void {
    if (this.kept) this.copy(this.kept, this.state.params);
  }

  async gradients(indices: Uint32Array, scale: number): Promise<{ probabilities: Float32Array; loss: number; gradients: DenseWeights }> {
    const rows = indices.length;
    const workspace = this.workspaceFor(rows);
    this.gpu.write(workspace.indices, 0, indices);
    workspace.writeSlots([{ base: 0, rows, contiguous: false, statBase: 0, scale, c1: 1, c2: 1 }]);
    this.submit((pass) => workspace.encode(pass, [...this.program.forward, ...this.program.backward], 'train', 0, rows));
    const outputs = this.network.sizes[this.network.sizes.length - 1];
    const [probabilities, stats, gradients] = await Promise.all([
      this.gpu.read(workspace.probs, 0, rows * outputs * 4),
      this.readStats(workspace, pairsOf(rows)),
      this.gpu.read(this.state.grads, 0, this.layout.total * 4),
    ]);
    return { probabilities: new Float32Array(probabilities), loss: stats.lossSum / rows, gradients: unflatten(this.network, new Float32Array(gradients)) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.workspace?.destroy();
    this.buffers.destroyAll();
  }
}
