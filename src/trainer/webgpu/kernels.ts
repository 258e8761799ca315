import { PIXELS } from '../dataset';
import type { OptimizerSettings } from '../optimizer-settings';
import type { LayerSlice } from './parameter-layout';

/**
 * The WGSL compute shaders of the fused trainer. Sizes, parameter offsets and the optimiser's
 * constants are baked into each shader's text, so a pipeline is specific to one network shape
 * and optimiser; what changes from step to step (which examples, how many rows, the bias
 * correction) comes in the 32-byte `Step` uniform, one slot per step, bound at a dynamic offset.
 *
 * Images stay bytes on the device: four pixels per u32 word, 196 words per image.
 */

export type BufferName = 'indices' | 'images' | 'labels' | 'params' | 'grads' | 'm' | 'v' | 'input' | 'output' | 'delta' | 'inputDelta' | 'probs' | 'stats' | 'predicted';

export interface Binding {
  name: BufferName;
  type: 'u32' | 'f32';
  write: boolean;
}

export interface Kernel {
  label: string;
  /** Storage buffers, bound from binding 1 on (binding 0 is the Step uniform). */
  bindings: Binding[];
  code: string;
}

export const WORKGROUP = 64;
export const WORDS_PER_IMAGE = PIXELS / 4;
/** Bytes between two Step slots: WebGPU's minimum alignment of a dynamic uniform offset. */
export const STEP_STRIDE = 256;
export const STEP_BYTES = 32;
/** tfjs' clip of the probabilities before the log (1e-7 and 1 - 1e-7). */
const PROBABILITY_EPSILON = 1e-7;

/** A WGSL float literal for the f32 nearest `value`. */
function float(value: number): string {
  const text = String(Math.fround(value));
  return /[.e]/.test(text) ? text : `${text}.0`;
}

const read = (name: BufferName, type: Binding['type'] = 'f32'): Binding => ({ name, type, write: false });
const write = (name: BufferName, type: Binding['type'] = 'f32'): Binding => ({ name, type, write: true });

function declarations(bindings: Binding[]): string {
  const step = [
    'struct Step { base: u32, rows: u32, contiguous: u32, statBase: u32, scale: f32, c1: f32, c2: f32, pad: u32 }',
    '@group(0) @binding(0) var<uniform> step: Step;',
  ];
  const buffers = bindings.map(
    (binding, index) => `@group(0) @binding(${index + 1}) var<storage, ${binding.write ? 'read_write' : 'read'}> ${binding.name}: array<${binding.type}>;`,
  );
  return [...step, ...buffers].join('\n');
}

/** The example of batch row `r`: listed in `indices`, or counted from `base` when evaluating a range. */
const EXAMPLE_OF = `
fn exampleOf(r: u32) -> u32 {
  if (step.contiguous == 1u) { return step.base + r; }
  return indices[step.base + r];
}`;

/** Threads are counted over a 2D grid of workgroups (one dimension holds at most 65,535). */
const ENTRY = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) n: vec3u) {
  let t = g.x + g.y * n.x * ${WORKGROUP}u;`;

function kernel(label: string, bindings: Binding[], body: string, helpers = '', entry = ENTRY): Kernel {
  return { label, bindings, code: `${declarations(bindings)}\n${helpers}\n${entry}\n${body}\n}\n` };
}

/** First layer: gathers the batch's images from the bytes, kernel product, bias, relu. */
export function forwardInput(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  return kernel(
    'forward-input',
    [read('indices', 'u32'), read('images', 'u32'), read('params'), write('output')],
    `
  if (t >= step.rows * ${out}) { return; }
  let r = t / ${out};
  let u = t - r * ${out};
  let row = exampleOf(r) * ${WORDS_PER_IMAGE}u;
  var acc = 0.0;
  for (var w = 0u; w < ${WORDS_PER_IMAGE}u; w++) {
    let word = images[row + w];
    let k = ${layer.kernel}u + w * 4u * ${out} + u;
    acc += f32(word & 255u) * params[k] + f32((word >> 8u) & 255u) * params[k + ${out}]
      + f32((word >> 16u) & 255u) * params[k + 2u * ${out}] + f32(word >> 24u) * params[k + 3u * ${out}];
  }
  output[t] = max(acc * step.scale + params[${layer.bias}u + u], 0.0);`,
    EXAMPLE_OF,
  );
}

/** A later hidden layer: kernel product, bias, relu. */
export function forwardHidden(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  const inputs = `${layer.inputs}u`;
  return kernel(
    'forward-hidden',
    [read('params'), read('input'), write('output')],
    `
  if (t >= step.rows * ${out}) { return; }
  let r = t / ${out};
  let u = t - r * ${out};
  var acc = 0.0;
  for (var k = 0u; k < ${inputs}; k++) {
    acc += input[r * ${inputs} + k] * params[${layer.kernel}u + k * ${out} + u];
  }
  output[t] = max(acc + params[${layer.bias}u + u], 0.0);`,
  );
}

/**
 * The output layer, one thread per row: logits, softmax, the clipped cross-entropy and its
 * gradient with respect to the logits ((p - onehot) / rows where the label's probability is
 * inside tfjs' clip, 0 outside it), the predicted class; each workgroup adds up its rows' loss
 * and hits into one pair of `stats`.
 */
export function outputLayer(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  const inputs = `${layer.inputs}u`;
  return kernel(
    'output',
    [read('indices', 'u32'), read('labels', 'u32'), read('input'), read('params'), write('delta'), write('probs'), write('stats'), write('predicted', 'u32')],
    `
  let r = g.x;
  var loss = 0.0;
  var hit = 0.0;
  if (r < step.rows) {
    var z: array<f32, ${layer.outputs}>;
    for (var o = 0u; o < ${out}; o++) { z[o] = params[${layer.bias}u + o]; }
    for (var k = 0u; k < ${inputs}; k++) {
      let a = input[r * ${inputs} + k];
      let w = ${layer.kernel}u + k * ${out};
      for (var o = 0u; o < ${out}; o++) { z[o] += a * params[w + o]; }
    }
    var top = z[0];
    for (var o = 1u; o < ${out}; o++) { top = max(top, z[o]); }
    var total = 0.0;
    for (var o = 0u; o < ${out}; o++) { z[o] = exp(z[o] - top); total += z[o]; }
    var best = 0u;
    for (var o = 0u; o < ${out}; o++) {
      z[o] = z[o] / total;
      if (z[o] > z[best]) { best = o; }
    }
    let e = exampleOf(r);
    let y = labels[e];
    let py = z[y];
    let inside = py >= ${float(PROBABILITY_EPSILON)} && py <= ${float(1 - PROBABILITY_EPSILON)};
    loss = -log(clamp(py, ${float(PROBABILITY_EPSILON)}, ${float(1 - PROBABILITY_EPSILON)}));
    hit = select(0.0, 1.0, best == y);
    let scale = 1.0 / f32(step.rows);
    for (var o = 0u; o < ${out}; o++) {
      probs[r * ${out} + o] = z[o];
      delta[r * ${out} + o] = select(0.0, (z[o] - select(0.0, 1.0, o == y)) * scale, inside);
    }
    if (step.contiguous == 1u) { predicted[e] = best; }
  }
  lossPart[lid] = loss;
  hitPart[lid] = hit;
  workgroupBarrier();
  if (lid == 0u) {
    var lossSum = 0.0;
    var hits = 0.0;
    for (var i = 0u; i < ${WORKGROUP}u; i++) { lossSum += lossPart[i]; hits += hitPart[i]; }
    stats[(step.statBase + wid.x) * 2u] = lossSum;
    stats[(step.statBase + wid.x) * 2u + 1u] = hits;
  }`,
    `${EXAMPLE_OF}
var<workgroup> lossPart: array<f32, ${WORKGROUP}>;
var<workgroup> hitPart: array<f32, ${WORKGROUP}>;`,
    `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {`,
  );
}

/**
 * Backward through a layer that follows a hidden one, in one dispatch of three kinds of thread:
 * the kernel's gradient (input activations by deltas), the bias' gradient (deltas summed over
 * rows), and the previous layer's deltas (deltas by the kernel, through relu).
 */
export function backwardHidden(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  const inputs = `${layer.inputs}u`;
  const weights = layer.inputs * layer.outputs;
  return kernel(
    'backward-hidden',
    [read('params'), read('input'), read('delta'), write('grads'), write('inputDelta')],
    `
  if (t < ${weights}u) {
    let k = t / ${out};
    let o = t - k * ${out};
    var s = 0.0;
    for (var r = 0u; r < step.rows; r++) { s += input[r * ${inputs} + k] * delta[r * ${out} + o]; }
    grads[${layer.kernel}u + t] = s;
    return;
  }
  if (t < ${weights + layer.outputs}u) {
    let o = t - ${weights}u;
    var s = 0.0;
    for (var r = 0u; r < step.rows; r++) { s += delta[r * ${out} + o]; }
    grads[${layer.bias}u + o] = s;
    return;
  }
  let q = t - ${weights + layer.outputs}u;
  if (q >= step.rows * ${inputs}) { return; }
  if (input[q] <= 0.0) { inputDelta[q] = 0.0; return; }
  let r = q / ${inputs};
  let k = q - r * ${inputs};
  var s = 0.0;
  for (var o = 0u; o < ${out}; o++) { s += delta[r * ${out} + o] * params[${layer.kernel}u + k * ${out} + o]; }
  inputDelta[q] = s;`,
  );
}

/** Backward into the first layer's parameters: the batch's pixels (from the bytes) by its deltas. */
export function backwardInput(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  const weights = layer.inputs * layer.outputs;
  return kernel(
    'backward-input',
    [read('indices', 'u32'), read('images', 'u32'), read('delta'), write('grads')],
    `
  if (t < ${weights}u) {
    let k = t / ${out};
    let u = t - k * ${out};
    let w = k >> 2u;
    let shift = (k & 3u) * 8u;
    var s = 0.0;
    for (var r = 0u; r < step.rows; r++) {
      let pixel = (images[exampleOf(r) * ${WORDS_PER_IMAGE}u + w] >> shift) & 255u;
      s += f32(pixel) * delta[r * ${out} + u];
    }
    grads[${layer.kernel}u + t] = s * step.scale;
    return;
  }
  if (t < ${weights + layer.outputs}u) {
    let u = t - ${weights}u;
    var s = 0.0;
    for (var r = 0u; r < step.rows; r++) { s += delta[r * ${out} + u]; }
    grads[${layer.bias}u + u] = s;
  }`,
    EXAMPLE_OF,
  );
}

/** One update of every parameter, written as tfjs writes it (same operations, same order). */
export function optimizerUpdate(settings: OptimizerSettings, total: number): Kernel {
  const guard = `  if (t >= ${total}u) { return; }\n  let grad = grads[t];`;
  const lr = float(settings.learningRate);
  switch (settings.kind) {
    case 'adam':
      return kernel(
        'adam',
        [read('grads'), write('params'), write('m'), write('v')],
        `${guard}
  let m1 = m[t] * ${float(settings.beta1)} + grad * ${float(1 - settings.beta1)};
  let v1 = v[t] * ${float(settings.beta2)} + (grad * grad) * ${float(1 - settings.beta2)};
  m[t] = m1;
  v[t] = v1;
  params[t] = ((m1 / step.c1) / (sqrt(v1 / step.c2) + ${float(settings.epsilon)})) * ${float(-settings.learningRate)} + params[t];`,
      );
    case 'rmsprop':
      return kernel(
        'rmsprop',
        [read('grads'), write('params'), write('m')],
        `${guard}
  let ms = m[t] * ${float(settings.rho)} + (grad * grad) * ${float(1 - settings.rho)};
  m[t] = ms;
  params[t] = params[t] - (grad * ${lr}) / sqrt(ms + ${float(settings.epsilon)});`,
      );
    case 'sgd':
      return kernel('sgd', [read('grads'), write('params')], `${guard}\n  params[t] = ${float(-settings.learningRate)} * grad + params[t];`);
  }
}
