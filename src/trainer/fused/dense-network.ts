import type { ExperimentSpec } from '../../experiments/spec';
import { PIXELS } from '../dataset';

/**
 * A network the fused engines train: Dense layers on the flattened 784 pixels, relu after every
 * hidden layer, softmax at the end, sparse categorical cross-entropy. `sizes` are the widths from
 * input to output, e.g. [784, 512, 10] for the course's model or [784, 512, 256, 10] with the
 * extra layer.
 */
export interface DenseNetwork {
  sizes: readonly number[];
}

/**
 * The parameters of a DenseNetwork in the order and layout of tfjs' `model.getWeights()`: for each
 * layer its kernel ([inputs, outputs], row-major), then its bias ([outputs]).
 */
export type DenseWeights = Float32Array[];

/** The network of a spec that trains (Flatten on: a spec without it fails before training). */
export function denseNetworkOf(spec: ExperimentSpec): DenseNetwork {
  const hidden = spec.extraLayerUnits === null ? [spec.hiddenUnits] : [spec.hiddenUnits, spec.extraLayerUnits];
  return { sizes: [PIXELS, ...hidden, spec.outputUnits] };
}

/** The shapes of the parameters, in DenseWeights' order. */
export function parameterShapes(network: DenseNetwork): number[][] {
  return network.sizes.slice(1).flatMap((outputs, layer) => [[network.sizes[layer], outputs], [outputs]]);
}
