import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentSpec } from '../experiments/spec';
import type { Evaluation } from '../experiments/results';
import type { FashionMnist, Split } from './dataset';
import { trainEpoch } from './epoch-loop';
import { evaluateTestSet, lossAndAccuracy } from './evaluate';
import { buildModel } from './model';
import { saveModel } from './model-files';
import type { OptimizerSettings } from './optimizer-settings';
import type { EpochHooks, ExampleRange, Trainee } from './trainee';

export function createTfjsOptimizer(settings: OptimizerSettings): tf.Optimizer {
  switch (settings.kind) {
    case 'adam':
      return tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, settings.rho, 0, settings.epsilon);
  }
}

function rangeOf(data: FashionMnist, range: ExampleRange): Split {
  const split = data[range.set];
  const pixels = split.images.length / split.count;
  return {
    images: split.images.subarray(range.first * pixels, (range.first + range.count) * pixels),
    labels: split.labels.subarray(range.first, range.first + range.count),
    count: range.count,
  };
}

/** A run trained by TensorFlow.js on the active backend (wasm, cpu, webgpu, native TensorFlow). */
export class TfjsTrainee implements Trainee {
  private readonly model;
  private readonly optimizer;
  private kept: tf.Tensor[] | null = null;

  constructor(
    private readonly spec: ExperimentSpec,
    private readonly data: FashionMnist,
    optimizer: OptimizerSettings,
  ) {
    this.model = buildModel(spec);
    this.optimizer = createTfjsOptimizer(optimizer);
  }

  trainEpoch(order: Uint32Array, hooks: EpochHooks): Promise<{ loss: number; accuracy: number } | null> {
    return trainEpoch(this.model, this.optimizer, this.data.train, order, { batchSize: this.spec.batchSize, normalize: this.spec.normalize, hooks });
  }

  lossAndAccuracy(range: ExampleRange): Promise<{ loss: number; accuracy: number }> {
    return lossAndAccuracy(this.model, rangeOf(this.data, range), this.spec.normalize);
  }

  evaluateTestSet(): Promise<Evaluation> {
    return evaluateTestSet(this.model, this.data.test, this.spec.normalize);
  }

  keepWeights(): void {
    this.forgetKept();
    this.kept = this.model.getWeights().map((weight) => tf.clone(weight));
  }

  restoreKeptWeights(): void {
    if (this.kept) this.model.setWeights(this.kept);
  }

  save(folder: string): Promise<string> {
    return saveModel(this.model, folder);
  }

  dispose(): void {
    this.forgetKept();
    this.optimizer.dispose();
    this.model.dispose();
  }

  private forgetKept(): void {
    if (this.kept) tf.dispose(this.kept);
    this.kept = null;
  }
}
