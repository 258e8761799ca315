import * as ort from 'onnxruntime-node';
import type { FashionMnist, Split } from '../dataset';
import type { DenseNetwork, DenseWeights } from '../fused/dense-network';
import { parameterShapes } from '../fused/dense-network';
import type { FusedModel, RangeEvaluation } from '../fused/fused-engine';
import type { OptimizerSettings } from '../optimizer-settings';
import type { EpochHooks } from '../trainee';
import { Names, stateSlots } from './dense-graphs';
import type { SessionCache } from './session-cache';

/**
 * Examples per run of the training Loop: enough steps to spread the cost of handing the weights
 * and optimiser state across (about 1 ms a run), few enough that a cancel or a progress
 * report waits for a few tens of milliseconds at most.
 */
const EXAMPLES_PER_GROUP = 2048;
const MAX_STEPS_PER_GROUP = 32;
const EVALUATION_CHUNK = 1000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function scalar(value: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.of(value), []);
}

function floatsOf(value: ort.OnnxValue): Float32Array {
  return (value as ort.Tensor).data as Float32Array;
}

/** Copies the images and labels of `indices` of a split, one after the other, into `pixels` and `labels`. */
function gather(split: Split, indices: ArrayLike<number>, pixels: Uint8Array, labels: Uint8Array, imagePixels: number): void {
  for (let row = 0; row < indices.length; row++) {
    const index = indices[row];
    pixels.set(split.images.subarray(index * imagePixels, (index + 1) * imagePixels), row * imagePixels);
    labels[row] = split.labels[index];
  }
}

/** One network trained on onnxruntime: its weights and optimiser state are the tensors the last run returned. */
export class OnnxModel implements FusedModel {
  private parameters: ort.Tensor[];
  private state: ort.Tensor[];
  private kept: Float32Array[] | null = null;
  /** Steps taken so far (adam's bias correction counts them). */
  private steps = 0;
  private readonly shapes: number[][];
  private readonly pixelsPerImage: number;

  constructor(
    private readonly sessions: SessionCache,
    private readonly data: FashionMnist,
    private readonly network: DenseNetwork,
    weights: DenseWeights,
    private readonly optimizer: OptimizerSettings,
  ) {
    this.shapes = parameterShapes(network);
    this.pixelsPerImage = network.sizes[0];
    this.parameters = weights.map((values, index) => new ort.Tensor('float32', Float32Array.from(values), this.shapes[index]));
    const slots = stateSlots(optimizer);
    this.state = Array.from({ length: slots }, () => this.shapes.map((shape) => new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape))).flat();
  }

  async trainEpoch(order: Uint32Array, batchSize: number, scale: number, hooks: EpochHooks): Promise<{ loss: number; accuracy: number } | null> {
    const session = await this.sessions.get('train', this.network, this.optimizer);
    const batches = Math.ceil(order.length / batchSize);
    const fullBatches = Math.floor(order.length / batchSize);
    const stepsPerGroup = Math.max(1, Math.min(MAX_STEPS_PER_GROUP, Math.round(EXAMPLES_PER_GROUP / batchSize)));
    const pixels = new Uint8Array(stepsPerGroup * batchSize * this.pixelsPerImage);
    const labels = new Uint8Array(stepsPerGroup * batchSize);
    const learningRate = scalar(this.optimizer.learningRate);
    const scaleTensor = scalar(scale);
    let lossSum = 0;
    let hits = 0;
    let done = 0;
    while (done < batches) {
      // A group of full batches, or the short last batch alone.
      const steps = done < fullBatches ? Math.min(stepsPerGroup, fullBatches - done) : 1;
      const size = done < fullBatches ? batchSize : order.length - fullBatches * batchSize;
      const examples = steps * size;
      const first = done * batchSize;
      gather(this.data.train, order.subarray(first, first + examples), pixels, labels, this.pixelsPerImage);
      const outputs = await session.run(this.trainingFeeds(pixels, labels, steps, size, scaleTensor, learningRate));
      this.takeTrainingOutputs(outputs);
      lossSum += floatsOf(outputs[Names.lossSum])[0];
      hits += floatsOf(outputs[Names.hits])[0];
      done += steps;
      this.steps += steps;
      // Lets IPC messages (a cancel, a prediction) in between two groups.
      await yieldToEventLoop();
      if (hooks.shouldStop()) return null;
      const seen = Math.min(done * batchSize, order.length);
      if (hooks.progressDue()) hooks.onProgress({ batch: done, batches, loss: lossSum / seen, accuracy: hits / seen });
    }
    return { loss: lossSum / order.length, accuracy: hits / order.length };
  }

  async evaluate(set: 'train' | 'test', first: number, count: number, scale: number): Promise<RangeEvaluation> {
    const session = await this.sessions.get('evaluate', this.network, this.optimizer);
    const split = this.data[set];
    const predicted = new Int32Array(count);
    const scaleTensor = scalar(scale);
    let lossSum = 0;
    let hits = 0;
    for (let offset = 0; offset < count; offset += EVALUATION_CHUNK) {
      const size = Math.min(EVALUATION_CHUNK, count - offset);
      const start = first + offset;
      const outputs = await session.run({
        ...this.parameterFeeds(),
        [Names.pixels]: new ort.Tensor('uint8', split.images.slice(start * this.pixelsPerImage, (start + size) * this.pixelsPerImage), [size, this.pixelsPerImage]),
        [Names.labels]: new ort.Tensor('uint8', split.labels.slice(start, start + size), [size]),
        [Names.scale]: scaleTensor,
      });
      lossSum += floatsOf(outputs[Names.lossSum])[0];
      hits += floatsOf(outputs[Names.hits])[0];
      const classes = (outputs[Names.predicted] as ort.Tensor).data as BigInt64Array;
      for (let i = 0; i < size; i++) predicted[offset + i] = Number(classes[i]);
    }
    return { loss: lossSum / count, accuracy: hits / count, predicted };
  }

  async gradients(indices: Uint32Array, scale: number): Promise<{ probabilities: Float32Array; loss: number; gradients: DenseWeights }> {
    const session = await this.sessions.get('gradients', this.network, this.optimizer);
    const pixels = new Uint8Array(indices.length * this.pixelsPerImage);
    const labels = new Uint8Array(indices.length);
    gather(this.data.train, indices, pixels, labels, this.pixelsPerImage);
    const outputs = await session.run({
      ...this.parameterFeeds(),
      [Names.pixels]: new ort.Tensor('uint8', pixels, [indices.length, this.pixelsPerImage]),
      [Names.labels]: new ort.Tensor('uint8', labels, [indices.length]),
      [Names.scale]: scalar(scale),
    });
    return {
      probabilities: floatsOf(outputs[Names.probabilities]),
      loss: floatsOf(outputs[Names.loss])[0],
      gradients: this.shapes.map((_shape, index) => floatsOf(outputs[Names.gradient(index)])),
    };
  }

  readWeights(): Promise<DenseWeights> {
    return Promise.resolve(this.parameters.map((parameter) => Float32Array.from(floatsOf(parameter))));
  }

  keepWeights(): void {
    this.kept = this.parameters.map((parameter) => Float32Array.from(floatsOf(parameter)));
  }

  restoreKeptWeights(): void {
    if (!this.kept) return;
    this.parameters = this.kept.map((values, index) => new ort.Tensor('float32', Float32Array.from(values), this.shapes[index]));
  }

  dispose(): void {
    this.parameters = [];
    this.state = [];
    this.kept = null;
  }

  private parameterFeeds(): Record<string, ort.Tensor> {
    return Object.fromEntries(this.parameters.map((parameter, index) => [Names.parameter(index), parameter]));
  }

  private trainingFeeds(pixels: Uint8Array, labels: Uint8Array, steps: number, size: number, scale: ort.Tensor, learningRate: ort.Tensor): Record<string, ort.Tensor> {
    const examples = steps * size;
    const count = this.shapes.length;
    return {
      ...this.parameterFeeds(),
      ...Object.fromEntries(this.state.map((tensor, position) => [Names.state(Math.floor(position / count), position % count), tensor])),
      [Names.pixels]: new ort.Tensor('uint8', pixels.subarray(0, examples * this.pixelsPerImage), [steps, size, this.pixelsPerImage]),
      [Names.labels]: new ort.Tensor('uint8', labels.subarray(0, examples), [steps, size]),
      [Names.scale]: scale,
      [Names.learningRate]: learningRate,
      [Names.step]: scalar(this.steps + 1),
    };
  }

  private takeTrainingOutputs(outputs: ort.InferenceSession.OnnxValueMapType): void {
    const count = this.shapes.length;
    this.parameters = this.shapes.map((_shape, index) => outputs[Names.nextParameter(index)] as ort.Tensor);
    this.state = this.state.map((_tensor, position) => outputs[Names.nextState(Math.floor(position / count), position % count)] as ort.Tensor);
  }
}
