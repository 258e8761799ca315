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

/** Rows each thread of the first layer computes: every weight it loads serves that many rows. */
export const INPUT_ROWS_PER_THREAD = 4;

/** Workgroups of 64 output units that cover a layer's outputs. */
export function unitTiles(layer: LayerSlice): number {
  return Math.ceil(layer.outputs / WORKGROUP);
}

/** The workgroup's index over a 2D grid (one dimension holds at most 65,535). */
const GROUP_ENTRY = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let group = wid.x + wid.y * n.x;`;

/**
 * First layer: kernel product, bias, relu, on pixels gathered from the bytes. A workgroup takes
 * 4 rows and 64 units: it copies the rows' pixel words into workgroup memory once, then each
 * thread runs down the kernel's column of its unit for the 4 rows.
 */
export function forwardInput(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  const rowsPer = INPUT_ROWS_PER_THREAD;
  const words = `${WORDS_PER_IMAGE}u`;
  const unpack = (name: string) => `vec4f(f32(${name} & 255u), f32((${name} >> 8u) & 255u), f32((${name} >> 16u) & 255u), f32(${name} >> 24u))`;
  const rows = Array.from({ length: rowsPer }, (_, i) => i);
  return kernel(
    'forward-input',
    [read('indices', 'u32'), read('images', 'u32'), read('params'), write('output')],
    `
  let tiles = ${unitTiles(layer)}u;
  let block = group / tiles;
  let u = (group - block * tiles) * ${WORKGROUP}u + lid;
  let first = block * ${rowsPer}u;
  for (var i = lid; i < ${rowsPer * WORDS_PER_IMAGE}u; i += ${WORKGROUP}u) {
    let r = first + i / ${words};
    var word = 0u;
    if (r < step.rows) { word = images[exampleOf(r) * ${words} + i % ${words}]; }
    pixels[i] = word;
  }
  workgroupBarrier();
  if (u >= ${out}) { return; }
${rows.map((i) => `  var acc${i} = 0.0;`).join('\n')}
  for (var w = 0u; w < ${words}; w++) {
    let k = ${layer.kernel}u + w * 4u * ${out} + u;
    let weights = vec4f(params[k], params[k + ${out}], params[k + 2u * ${out}], params[k + 3u * ${out}]);
${rows.map((i) => `    let p${i} = pixels[${i * WORDS_PER_IMAGE}u + w];\n    acc${i} += dot(${unpack(`p${i}`)}, weights);`).join('\n')}
  }
  let bias = params[${layer.bias}u + u];
${rows.map((i) => `  if (first + ${i}u < step.rows) { output[(first + ${i}u) * ${out} + u] = max(acc${i} * step.scale + bias, 0.0); }`).join('\n')}`,
    `${EXAMPLE_OF}
var<workgroup> pixels: array<u32, ${rowsPer * WORDS_PER_IMAGE}>;`,
    GROUP_ENTRY,
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

/** Words of pixels (4 inputs each) a thread of the first layer's backward pass adds up for. */
export const INPUT_WORDS_PER_THREAD = 4;

/**
 * Backward into the first layer's parameters: the batch's pixels (from the bytes) by its deltas.
 * A workgroup takes 4 words of pixels (16 inputs) and 64 units; 64 rows at a time, it copies the
 * rows' words into workgroup memory, then each thread adds up its 16 kernel entries. The last
 * row of workgroups sums the deltas for the bias.
 */
export function backwardInput(layer: LayerSlice): Kernel {
  const out = `${layer.outputs}u`;
  const words = `${WORDS_PER_IMAGE}u`;
  const per = INPUT_WORDS_PER_THREAD;
  const blocks = WORDS_PER_IMAGE / per;
  const each = (f: (j: number) => string) => Array.from({ length: per }, (_, j) => f(j)).join('\n');
  const sums = Array.from({ length: per * 4 }, (_, i) => i);
  return kernel(
    'backward-input',
    [read('indices', 'u32'), read('images', 'u32'), read('delta'), write('grads')],
    `
  let tiles = ${unitTiles(layer)}u;
  let block = group / tiles;
  let u = (group - block * tiles) * ${WORKGROUP}u + lid;
  if (block > ${blocks}u) { return; }
  if (block == ${blocks}u) {
    if (u < ${out}) {
      var s = 0.0;
      for (var r = 0u; r < step.rows; r++) { s += delta[r * ${out} + u]; }
      grads[${layer.bias}u + u] = s;
    }
    return;
  }
  let w = block * ${per}u;
${sums.map((i) => `  var s${i} = 0.0;`).join('\n')}
  for (var first = 0u; first < step.rows; first += ${WORKGROUP}u) {
    if (first + lid < step.rows) {
      let row = exampleOf(first + lid) * ${words} + w;
${each((j) => `      rowWords[${j * 64}u + lid] = images[row + ${j}u];`)}
    }
    workgroupBarrier();
    if (u < ${out}) {
      let count = min(${WORKGROUP}u, step.rows - first);
      for (var i = 0u; i < count; i++) {
        let d = delta[(first + i) * ${out} + u];
${each((j) => `        let p${j} = rowWords[${j * 64}u + i];
        s${4 * j} += f32(p${j} & 255u) * d;
        s${4 * j + 1} += f32((p${j} >> 8u) & 255u) * d;
        s${4 * j + 2} += f32((p${j} >> 16u) & 255u) * d;
        s${4 * j + 3} += f32(p${j} >> 24u) * d;`)}
      }
    }
    workgroupBarrier();
  }
  if (u < ${out}) {
    let k = ${layer.kernel}u + w * 4u * ${out} + u;
${sums.map((i) => `    grads[k + ${i}u * ${out}] = s${i} * step.scale;`).join('\n')}
  }`,
    `${EXAMPLE_OF}
var<workgroup> rowWords: array<u32, ${per * WORKGROUP}>;`,
    GROUP_ENTRY,
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
