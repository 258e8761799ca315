import type { OptimizerSettings } from '../optimizer-settings';
import {
  backwardHidden,
  backwardInput,
  forwardHidden,
  forwardInput,
  INPUT_ROWS_PER_THREAD,
  INPUT_WORDS_PER_THREAD,
  optimizerUpdate,
  outputLayer,
  unitTiles,
  WORDS_PER_IMAGE,
  WORKGROUP,
  type BufferName,
  type Kernel,
} from './kernels';
import type { ParameterLayout } from './parameter-layout';

/** Which buffer of the workspace a stage's binding names: an activation or a delta of some layer. */
export type BufferRef = { kind: 'activation' | 'delta'; layer: number } | { kind: 'shared'; name: BufferName };

/** One dispatch of a training step: its kernel, its buffers, and how many threads it needs for a batch. */
export interface Stage {
  kernel: Kernel;
  buffers: Partial<Record<BufferName, BufferRef>>;
  threads(rows: number): number;
  /** Reads the images and labels of the set being trained or evaluated. */
  readsData: boolean;
}

export interface NetworkProgram {
  /** Forward to the loss, its gradient and the statistics (what evaluation runs). */
  forward: Stage[];
  /** Back to every parameter's gradient. */
  backward: Stage[];
  update: Stage;
}

const activation = (layer: number): BufferRef => ({ kind: 'activation', layer });
const delta = (layer: number): BufferRef => ({ kind: 'delta', layer });

/**
 * The dispatches of one training step of a Dense network: one per layer forward (the last one
 * with the loss), one per layer backward, one optimiser update: 5 for one hidden layer, 7 for two.
 */
export function networkProgram(layout: ParameterLayout, optimizer: OptimizerSettings): NetworkProgram {
  const { layers } = layout;
  const last = layers.length - 1;
  const forward: Stage[] = layers.map((layer, index): Stage => {
    if (index === 0) {
      const threads = (rows: number) => Math.ceil(rows / INPUT_ROWS_PER_THREAD) * unitTiles(layer) * WORKGROUP;
      return { kernel: forwardInput(layer), buffers: { output: activation(0) }, threads, readsData: true };
    }
    if (index < last) {
      return { kernel: forwardHidden(layer), buffers: { input: activation(index - 1), output: activation(index) }, threads: (rows) => rows * layer.outputs, readsData: false };
    }
    // One thread per row, in whole workgroups (each adds up its rows' loss and hits).
    return { kernel: outputLayer(layer), buffers: { input: activation(index - 1), delta: delta(index) }, threads: (rows) => Math.ceil(rows / WORKGROUP) * WORKGROUP, readsData: true };
  });
  const backward: Stage[] = layers
    .map((layer, index): Stage => {
      if (index === 0) {
        // One workgroup per 4 words of pixels and tile of units, and a row of them for the bias.
        const threads = () => (WORDS_PER_IMAGE / INPUT_WORDS_PER_THREAD + 1) * unitTiles(layer) * WORKGROUP;
        return { kernel: backwardInput(layer), buffers: { delta: delta(0) }, threads, readsData: true };
      }
      return {
        kernel: backwardHidden(layer),
        buffers: { input: activation(index - 1), delta: delta(index), inputDelta: delta(index - 1) },
        threads: (rows) => layer.inputs * layer.outputs + layer.outputs + rows * layer.inputs,
        readsData: false,
      };
    })
    .reverse();
  const update: Stage = { kernel: optimizerUpdate(optimizer, layout.total), buffers: {}, threads: () => layout.total, readsData: false };
  return { forward, backward, update };
}
