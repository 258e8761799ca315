import type { OptimizerSettings } from '../optimizer-settings';
import type { DenseNetwork } from '../fused/dense-network';
import { GraphBuilder } from './graph-builder';
import { encodeModel, TensorType, type Attribute, type Graph, type ValueInfo } from './onnx-protobuf';

/** Opset 17: ReduceSum takes its axes as an input, Softmax works on the last axis. */
const OPSET = 17;
/** The clip of Keras' (and our tfjs) cross-entropy on probabilities. */
const LOSS_EPSILON = 1e-7;
const BATCH = 'batch';
const TO_FLOAT: Attribute = { name: 'to', kind: 'int', value: TensorType.float };
const TO_INT64: Attribute = { name: 'to', kind: 'int', value: TensorType.int64 };

/** What a graph computes: a training step, the gradients alone (for tests), or an evaluation. */
export type GraphKind = 'train' | 'gradients' | 'evaluate';

/** The names of a graph's inputs and outputs, in the order the engine feeds and reads them. */
export const Names = {
  pixels: 'pixels',
  labels: 'labels',
  scale: 'scale',
  learningRate: 'learning_rate',
  step: 'step',
  parameter: (index: number) => `param_${index}`,
  /** Optimiser state `slot` (adam: 0 first moment, 1 second moment; rmsprop: 0 mean square) of a parameter. */
  state: (slot: number, index: number) => `state_${slot}_${index}`,
  nextParameter: (index: number) => `next_param_${index}`,
  nextState: (slot: number, index: number) => `next_state_${slot}_${index}`,
  gradient: (index: number) => `grad_${index}`,
  lossSum: 'loss_sum',
  hits: 'hits',
  loss: 'loss',
  probabilities: 'probabilities',
  predicted: 'predicted',
} as const;

/** How many state tensors per parameter an optimiser keeps. */
export function stateSlots(optimizer: OptimizerSettings): number {
  switch (optimizer.kind) {
    case 'adam':
      return 2;
    case 'rmsprop':
      return 1;
    case 'sgd':
      return 0;
  }
}

/** The values a pass reads: inside a Loop's body they are the body's own. */
interface PassInputs {
  pixels: string;
  labels: string;
  parameter: (index: number) => string;
}

/** Labels come in as bytes (no BigInt per label in JavaScript); OneHot and Equal want int64. */
function labelsAsInt64(graph: GraphBuilder, labels: string): string {
  return graph.op('Cast', [labels], [TO_INT64]);
}

function outerInputs(graph: GraphBuilder): PassInputs {
  return { pixels: Names.pixels, labels: labelsAsInt64(graph, Names.labels), parameter: Names.parameter };
}

interface Forward {
  /** The input of each layer: the scaled pixels, then each hidden layer's relu output. */
  layerInputs: string[];
  /** Each hidden layer's pre-activation. */
  hiddenSums: string[];
  probabilities: string;
  oneHot: string;
  labelProbability: string;
  lossSum: string;
  predicted: string;
  hits: string;
}

function forward(graph: GraphBuilder, network: DenseNetwork, io: PassInputs): Forward {
  const layers = network.sizes.length - 1;
  const pixels = graph.op('Cast', [io.pixels], [TO_FLOAT]);
  const layerInputs = [graph.op('Mul', [pixels, Names.scale])];
  const hiddenSums: string[] = [];
  let logits = '';
  for (let layer = 0; layer < layers; layer++) {
    const sum = graph.op('Gemm', [layerInputs[layer], io.parameter(2 * layer), io.parameter(2 * layer + 1)]);
    if (layer === layers - 1) {
      logits = sum;
    } else {
      hiddenSums.push(sum);
      layerInputs.push(graph.op('Relu', [sum]));
    }
  }
  const probabilities = graph.op('Softmax', [logits], [{ name: 'axis', kind: 'int', value: -1 }]);
  const classes = graph.op('Shape', [io.parameter(2 * layers - 1)]);
  const oneHot = graph.op('OneHot', [io.labels, classes, graph.floats([0, 1])], [{ name: 'axis', kind: 'int', value: -1 }]);
  const labelProbability = graph.op('ReduceSum', [graph.op('Mul', [probabilities, oneHot]), graph.int64s([1])], [{ name: 'keepdims', kind: 'int', value: 1 }]);
  const clipped = graph.op('Clip', [labelProbability, graph.scalar(LOSS_EPSILON), graph.scalar(1 - LOSS_EPSILON)]);
  const losses = graph.op('Neg', [graph.op('Log', [clipped])]);
  const lossSum = graph.op('ReduceSum', [losses], [{ name: 'keepdims', kind: 'int', value: 0 }]);
  const predicted = graph.op('ArgMax', [probabilities], [
    { name: 'axis', kind: 'int', value: 1 },
    { name: 'keepdims', kind: 'int', value: 0 },
  ]);
  const hitMask = graph.op('Cast', [graph.op('Equal', [predicted, io.labels])], [TO_FLOAT]);
  const hits = graph.op('ReduceSum', [hitMask], [{ name: 'keepdims', kind: 'int', value: 0 }]);
  return { layerInputs, hiddenSums, probabilities, oneHot, labelProbability, lossSum, predicted, hits };
}

/**
 * The gradient of the mean clipped cross-entropy for every parameter, as tfjs differentiates it:
 * (p - onehot) / n at the logits, zero for an example whose label's probability the clip held
 * (clipByValue passes no gradient outside its range), and relu's gradient zero at zero.
 */
function backward(graph: GraphBuilder, network: DenseNetwork, pass: Forward, io: PassInputs): string[] {
  const batchSize = batchSizeOf(graph, io);
  const layers = network.sizes.length - 1;
  const inRange = graph.op('And', [
    graph.op('GreaterOrEqual', [pass.labelProbability, graph.scalar(LOSS_EPSILON)]),
    graph.op('LessOrEqual', [pass.labelProbability, graph.scalar(1 - LOSS_EPSILON)]),
  ]);
  const mask = graph.op('Cast', [inRange], [TO_FLOAT]);
  let delta = graph.op('Div', [graph.op('Mul', [graph.op('Sub', [pass.probabilities, pass.oneHot]), mask]), batchSize]);
  const gradients: string[] = new Array<string>(2 * layers);
  for (let layer = layers - 1; layer >= 0; layer--) {
    gradients[2 * layer] = graph.op('Gemm', [pass.layerInputs[layer], delta], [{ name: 'transA', kind: 'int', value: 1 }]);
    gradients[2 * layer + 1] = graph.op('ReduceSum', [delta, graph.int64s([0])], [{ name: 'keepdims', kind: 'int', value: 0 }]);
    if (layer > 0) {
      const upstream = graph.op('Gemm', [delta, io.parameter(2 * layer)], [{ name: 'transB', kind: 'int', value: 1 }]);
      const active = graph.op('Cast', [graph.op('Greater', [pass.hiddenSums[layer - 1], graph.scalar(0)])], [TO_FLOAT]);
      delta = graph.op('Mul', [upstream, active]);
    }
  }
  return gradients;
}

function batchSizeOf(graph: GraphBuilder, io: PassInputs): string {
  return graph.op('Cast', [graph.op('Shape', [io.labels])], [TO_FLOAT]);
}

/** The names an update reads and writes for one parameter. */
interface UpdateNames {
  parameter: string;
  gradient: string;
  state: (slot: number) => string;
  next: string;
  nextState: (slot: number) => string;
  learningRate: string;
  /** Adam's 1 - beta^t for both betas. */
  biasCorrections: [string, string] | null;
}

/** The update of one parameter, with tfjs' formulas (and so Keras' epsilons and bias correction). */
function update(graph: GraphBuilder, optimizer: OptimizerSettings, names: UpdateNames): void {
  const { parameter, gradient, learningRate } = names;
  switch (optimizer.kind) {
    case 'sgd':
      graph.op('Sub', [parameter, graph.op('Mul', [gradient, learningRate])], [], names.next);
      return;
    case 'rmsprop': {
      const { rho, epsilon } = optimizer;
      const meanSquare = graph.op(
        'Add',
        [graph.op('Mul', [names.state(0), graph.scalar(rho)]), graph.op('Mul', [graph.op('Mul', [gradient, gradient]), graph.scalar(1 - rho)])],
        [],
        names.nextState(0),
      );
      const step = graph.op('Div', [graph.op('Mul', [gradient, learningRate]), graph.op('Sqrt', [graph.op('Add', [meanSquare, graph.scalar(epsilon)])])]);
      graph.op('Sub', [parameter, step], [], names.next);
      return;
    }
    case 'adam': {
      const { beta1, beta2, epsilon } = optimizer;
      const [correction1, correction2] = names.biasCorrections as [string, string];
      const first = graph.op(
        'Add',
        [graph.op('Mul', [names.state(0), graph.scalar(beta1)]), graph.op('Mul', [gradient, graph.scalar(1 - beta1)])],
        [],
        names.nextState(0),
      );
      const second = graph.op(
        'Add',
        [graph.op('Mul', [names.state(1), graph.scalar(beta2)]), graph.op('Mul', [graph.op('Mul', [gradient, gradient]), graph.scalar(1 - beta2)])],
        [],
        names.nextState(1),
      );
      const denominator = graph.op('Add', [graph.op('Sqrt', [graph.op('Div', [second, correction2])]), graph.scalar(epsilon)]);
      const step = graph.op('Mul', [graph.op('Div', [graph.op('Div', [first, correction1]), denominator]), learningRate]);
      graph.op('Sub', [parameter, step], [], names.next);
      return;
    }
  }
}

/** Adam's bias corrections 1 - beta1^t and 1 - beta2^t for the step count `step` (1 for the first step). */
function biasCorrections(graph: GraphBuilder, optimizer: OptimizerSettings, step: string): [string, string] | null {
  if (optimizer.kind !== 'adam') return null;
  return [
    graph.op('Sub', [graph.scalar(1), graph.op('Pow', [graph.scalar(optimizer.beta1), step])]),
    graph.op('Sub', [graph.scalar(1), graph.op('Pow', [graph.scalar(optimizer.beta2), step])]),
  ];
}

const float = (name: string, shape: readonly (number | string)[]): ValueInfo => ({ name, type: 'float', shape });

/**
 * The parameters' shapes with every width after the input symbolic ("units_1", ..., the last is
 * the outputs), so that one session trains a layout whatever its widths.
 */
function symbolicShapes(network: DenseNetwork): (number | string)[][] {
  const widths = network.sizes.map((size, layer) => (layer === 0 ? size : `units_${layer}`));
  return widths.slice(1).flatMap((outputs, layer) => [[widths[layer], outputs], [outputs]]);
}
const STEPS = 'steps';

/**
 * The body of the training Loop: step `iteration` of the group, on its batch of the group's
 * pixels and labels, from the weights and state the previous step left; loss and hits summed.
 */
function trainingBody(network: DenseNetwork, optimizer: OptimizerSettings): Graph {
  const graph = new GraphBuilder('body_');
  const shapes = symbolicShapes(network);
  const slots = stateSlots(optimizer);
  const io: PassInputs = {
    pixels: graph.op('Gather', [Names.pixels, 'body_iteration'], [{ name: 'axis', kind: 'int', value: 0 }]),
    labels: labelsAsInt64(graph, graph.op('Gather', [Names.labels, 'body_iteration'], [{ name: 'axis', kind: 'int', value: 0 }])),
    parameter: (index) => `body_${Names.parameter(index)}`,
  };
  const pass = forward(graph, network, io);
  const gradients = backward(graph, network, pass, io);
  const step = graph.op('Add', [Names.step, graph.op('Cast', ['body_iteration'], [TO_FLOAT])]);
  const corrections = biasCorrections(graph, optimizer, step);
  gradients.forEach((gradient, index) =>
    update(graph, optimizer, {
      parameter: io.parameter(index),
      gradient,
      state: (slot) => `body_${Names.state(slot, index)}`,
      next: `body_${Names.nextParameter(index)}`,
      nextState: (slot) => `body_${Names.nextState(slot, index)}`,
      learningRate: Names.learningRate,
      biasCorrections: corrections,
    }),
  );
  graph.op('Add', ['body_loss_in', pass.lossSum], [], 'body_loss_out');
  graph.op('Add', ['body_hits_in', pass.hits], [], 'body_hits_out');
  graph.op('Identity', ['body_condition'], [], 'body_condition_out');
  const carried = (prefix: string) => [
    ...shapes.map((shape, index) => float(`body_${prefix === 'in' ? Names.parameter(index) : Names.nextParameter(index)}`, shape)),
    ...Array.from({ length: slots }, (_, slot) =>
      shapes.map((shape, index) => float(`body_${prefix === 'in' ? Names.state(slot, index) : Names.nextState(slot, index)}`, shape)),
    ).flat(),
    float(`body_loss_${prefix}`, []),
    float(`body_hits_${prefix}`, []),
  ];
  return graph.build('training_step', [
    { name: 'body_iteration', type: 'int64', shape: [] },
    { name: 'body_condition', type: 'bool', shape: [] },
    ...carried('in'),
  ], [{ name: 'body_condition_out', type: 'bool', shape: [] }, ...carried('out')]);
}

/**
 * The ONNX model of one graph kind for a network (and, for training, an optimiser).
 * - train: a Loop over a group of steps (pixels [steps, batch, 784], labels [steps, batch]), so
 *   the weights and optimiser state stay inside onnxruntime between the steps of a group; the
 *   step count of the group's first step is an input (adam's bias correction).
 * - gradients: one forward and backward pass without an update (tests compare it with tfjs).
 * - evaluate: loss sum, hits and predicted classes of a chunk.
 * Batch and group sizes and the layers' widths are symbolic, so a short last batch, and every
 * network with the same number of layers, run in the same session; learning rate and pixel scale
 * are inputs, so one model serves every run of the same layout and optimiser.
 */
export function denseGraph(kind: GraphKind, network: DenseNetwork, optimizer: OptimizerSettings): Uint8Array {
  const graph = new GraphBuilder();
  const shapes = symbolicShapes(network);
  const classes = shapes.at(-1)![0];
  const examples = kind === 'train' ? [STEPS, BATCH] : [BATCH];
  const inputs: ValueInfo[] = [
    { name: Names.pixels, type: 'uint8', shape: [...examples, network.sizes[0]] },
    { name: Names.labels, type: 'uint8', shape: examples },
    float(Names.scale, []),
    ...shapes.map((shape, index) => float(Names.parameter(index), shape)),
  ];
  let outputs: ValueInfo[];
  if (kind === 'train') {
    const slots = stateSlots(optimizer);
    inputs.push(float(Names.learningRate, []), float(Names.step, []));
    for (let slot = 0; slot < slots; slot++) inputs.push(...shapes.map((shape, index) => float(Names.state(slot, index), shape)));
    const steps = graph.op('Gather', [graph.op('Shape', [Names.pixels]), graph.int64(0)], [{ name: 'axis', kind: 'int', value: 0 }]);
    const stateNames = Array.from({ length: slots }, (_, slot) => shapes.map((_shape, index) => Names.state(slot, index))).flat();
    const nextStateNames = Array.from({ length: slots }, (_, slot) => shapes.map((_shape, index) => Names.nextState(slot, index))).flat();
    const parameterNames = shapes.map((_shape, index) => Names.parameter(index));
    const nextParameterNames = shapes.map((_shape, index) => Names.nextParameter(index));
    graph.node({
      op: 'Loop',
      inputs: [steps, '', ...parameterNames, ...stateNames, graph.scalar(0), graph.scalar(0)],
      outputs: [...nextParameterNames, ...nextStateNames, Names.lossSum, Names.hits],
      attributes: [{ name: 'body', kind: 'graph', value: trainingBody(network, optimizer) }],
    });
    outputs = [
      ...shapes.map((shape, index) => float(Names.nextParameter(index), shape)),
      ...Array.from({ length: slots }, (_, slot) => shapes.map((shape, index) => float(Names.nextState(slot, index), shape))).flat(),
      float(Names.lossSum, []),
      float(Names.hits, []),
    ];
  } else {
    const io = outerInputs(graph);
    const pass = forward(graph, network, io);
    if (kind === 'evaluate') {
      graph.op('Identity', [pass.lossSum], [], Names.lossSum);
      graph.op('Identity', [pass.hits], [], Names.hits);
      graph.op('Identity', [pass.predicted], [], Names.predicted);
      outputs = [float(Names.lossSum, []), float(Names.hits, []), { name: Names.predicted, type: 'int64', shape: [BATCH] }];
    } else {
      const gradients = backward(graph, network, pass, io);
      graph.op('Identity', [pass.probabilities], [], Names.probabilities);
      graph.op('Div', [pass.lossSum, batchSizeOf(graph, io)], [], Names.loss);
      gradients.forEach((gradient, index) => graph.op('Identity', [gradient], [], Names.gradient(index)));
      outputs = [float(Names.probabilities, [BATCH, classes]), float(Names.loss, [1]), ...shapes.map((shape, index) => float(Names.gradient(index), shape))];
    }
  }
  return encodeModel({ graph: graph.build(`dense_${kind}`, inputs, outputs), opset: OPSET });
}
