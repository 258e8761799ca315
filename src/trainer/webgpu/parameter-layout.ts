import { parameterShapes, type DenseNetwork, type DenseWeights } from '../fused/dense-network';

/** Where each layer's kernel and bias sit in the one flat buffer that holds all parameters. */
export interface LayerSlice {
  inputs: number;
  outputs: number;
  kernel: number;
  bias: number;
}

export interface ParameterLayout {
  layers: LayerSlice[];
  /** Parameters in all. */
  total: number;
}

/** Kernels and biases one after the other, in tfjs' order (kernel [inputs, outputs] row-major, then bias). */
export function parameterLayout(network: DenseNetwork): ParameterLayout {
  let offset = 0;
  const layers = network.sizes.slice(1).map((outputs, index) => {
    const inputs = network.sizes[index];
    const kernel = offset;
    const bias = kernel + inputs * outputs;
    offset = bias + outputs;
    return { inputs, outputs, kernel, bias };
  });
  return { layers, total: offset };
}

export function flatten(layout: ParameterLayout, weights: DenseWeights): Float32Array {
  const flat = new Float32Array(layout.total);
  let offset = 0;
  for (const tensor of weights) {
    flat.set(tensor, offset);
    offset += tensor.length;
  }
  if (offset !== layout.total) throw new Error(`expected ${layout.total} parameters, got ${offset}`);
  return flat;
}

export function unflatten(network: DenseNetwork, flat: Float32Array): DenseWeights {
  let offset = 0;
  return parameterShapes(network).map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const tensor = flat.slice(offset, offset + size);
    offset += size;
    return tensor;
  });
}
