import type { BufferSet } from './gpu-device';
import { Usage } from './gpu-device';
import { STEP_BYTES, STEP_STRIDE, WORKGROUP, type BufferName } from './kernels';
import type { NetworkProgram, Stage } from './network-program';
import type { ParameterLayout } from './parameter-layout';
import type { CompiledKernel } from './pipelines';

/** A data set's images (bytes, four to a word) and labels (one u32 each) on the device. */
export interface DeviceSplit {
  images: GPUBuffer;
  labels: GPUBuffer;
  count: number;
}

export type Source = 'train' | 'test';

/** A model's parameters and optimiser state on the device. */
export interface ModelBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  /** Adam's first moment, or RMSprop's mean square. */
  m?: GPUBuffer;
  /** Adam's second moment. */
  v?: GPUBuffer;
}

export interface WorkspaceSize {
  /** Rows of the largest batch the buffers hold. */
  rows: number;
  /** Step slots in the uniform buffer (steps of one group, or evaluation chunks of one submit). */
  slots: number;
  /** Batch indices the index buffer holds (one group's). */
  indices: number;
  /** Pairs (loss sum, hits) of statistics: one per workgroup of the output layer, over an epoch. */
  statPairs: number;
  /** Examples the predicted-class buffer holds (the larger split). */
  predicted: number;
}

/** What one Step slot says, laid out as the WGSL `Step` struct. */
export interface StepSlot {
  base: number;
  rows: number;
  contiguous: boolean;
  statBase: number;
  scale: number;
  c1: number;
  c2: number;
}

interface BoundStage {
  compiled: CompiledKernel;
  groups: Record<Source, GPUBindGroup | null>;
}

/**
 * The batch-sized buffers of one model (activations, deltas, probabilities, indices, the Step
 * slots, statistics, predicted classes) and the bind groups of every stage over them, made once.
 */
export class Workspace {
  readonly indices: GPUBuffer;
  readonly steps: GPUBuffer;
  readonly stats: GPUBuffer;
  readonly probs: GPUBuffer;
  readonly predicted: GPUBuffer;
  private readonly activations: GPUBuffer[];
  private readonly deltas: GPUBuffer[];
  private readonly bound = new Map<Stage, BoundStage>();
  private readonly slotBytes: ArrayBuffer;

  constructor(
    private readonly buffers: BufferSet,
    readonly size: WorkspaceSize,
    layout: ParameterLayout,
    program: NetworkProgram,
    model: ModelBuffers,
    data: Record<Source, DeviceSplit>,
    compiled: ReadonlyMap<Stage, CompiledKernel>,
    private readonly maxWorkgroups: number,
  ) {
    const storage = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;
    const floats = (count: number) => count * 4;
    this.indices = buffers.create('indices', floats(size.indices), storage);
    this.steps = buffers.create('steps', size.slots * STEP_STRIDE, Usage.UNIFORM | Usage.COPY_DST);
    this.stats = buffers.create('stats', floats(2 * size.statPairs), storage);
    this.predicted = buffers.create('predicted', floats(size.predicted), storage);
    const outputs = layout.layers.map((layer) => layer.outputs);
    this.probs = buffers.create('probs', floats(size.rows * outputs[outputs.length - 1]), storage);
    this.activations = outputs.slice(0, -1).map((width, layer) => buffers.create(`activation ${layer}`, floats(size.rows * width), storage));
    this.deltas = outputs.map((width, layer) => buffers.create(`delta ${layer}`, floats(size.rows * width), storage));
    this.slotBytes = new ArrayBuffer(size.slots * STEP_STRIDE);
    buffers.gpu.clear([this.indices, this.steps, this.stats, this.predicted, this.probs, ...this.activations, ...this.deltas]);

    const shared: Partial<Record<BufferName, GPUBuffer>> = { indices: this.indices, probs: this.probs, stats: this.stats, predicted: this.predicted, ...model };
    for (const stage of [...program.forward, ...program.backward, program.update]) {
      const kernel = compiled.get(stage);
      if (!kernel) throw new Error(`kernel ${stage.kernel.label} was not compiled`);
      const groupFor = (source: Source): GPUBindGroup => {
        const resolve = (name: BufferName): GPUBuffer => {
          const ref = stage.buffers[name];
          if (ref?.kind === 'activation') return this.activations[ref.layer];
          if (ref?.kind === 'delta') return this.deltas[ref.layer];
          if (name === 'images' || name === 'labels') return data[source][name];
          const buffer = shared[name];
          if (!buffer) throw new Error(`kernel ${stage.kernel.label} binds ${name}, which this model does not have`);
          return buffer;
        };
        return buffers.gpu.device.createBindGroup({
          label: stage.kernel.label,
          layout: kernel.layout,
          entries: [
            { binding: 0, resource: { buffer: this.steps, offset: 0, size: STEP_BYTES } },
            ...stage.kernel.bindings.map((binding, index) => ({ binding: index + 1, resource: { buffer: resolve(binding.name) } })),
          ],
        });
      };
      const onTest = stage.readsData && program.forward.includes(stage);
      this.bound.set(stage, { compiled: kernel, groups: { train: groupFor('train'), test: onTest ? groupFor('test') : null } });
    }
  }

  /** Writes the Step slots 0..slots.length-1 (queue-ordered: work already submitted sees the old ones). */
  writeSlots(slots: StepSlot[]): void {
    const view = new DataView(this.slotBytes);
    slots.forEach((slot, index) => {
      const at = index * STEP_STRIDE;
      view.setUint32(at, slot.base, true);
      view.setUint32(at + 4, slot.rows, true);
      view.setUint32(at + 8, slot.contiguous ? 1 : 0, true);
      view.setUint32(at + 12, slot.statBase, true);
      view.setFloat32(at + 16, slot.scale, true);
      view.setFloat32(at + 20, slot.c1, true);
      view.setFloat32(at + 24, slot.c2, true);
    });
    this.buffers.gpu.device.queue.writeBuffer(this.steps, 0, this.slotBytes, 0, slots.length * STEP_STRIDE);
  }

  /** Encodes `stages` for the batch of slot `slot`; returns the number of dispatches. */
  encode(pass: GPUComputePassEncoder, stages: Stage[], source: Source, slot: number, rows: number): number {
    for (const stage of stages) {
      const bound = this.bound.get(stage);
      const group = bound?.groups[source];
      if (!bound || !group) throw new Error(`stage ${stage.kernel.label} has no bind group for the ${source} set`);
      const workgroups = Math.ceil(stage.threads(rows) / WORKGROUP);
      const x = Math.min(workgroups, this.maxWorkgroups);
      pass.setPipeline(bound.compiled.pipeline);
      pass.setBindGroup(0, group, [slot * STEP_STRIDE]);
      pass.dispatchWorkgroups(x, Math.ceil(workgroups / x));
    }
    return stages.length;
  }

  destroy(): void {
    for (const buffer of [this.indices, this.steps, this.stats, this.probs, this.predicted, ...this.activations, ...this.deltas]) this.buffers.destroy(buffer);
  }
}
