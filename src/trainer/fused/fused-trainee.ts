import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentSpec } from '../../experiments/spec';
import type { Evaluation } from '../../experiments/results';
import { pixelScale } from '../batches';
import type { FashionMnist } from '../dataset';
import { evaluationOf } from '../evaluate';
import { buildModel } from '../model';
import { saveModel } from '../model-files';
import { optimizerSettingsOf } from '../optimizer-settings';
import type { EpochHooks, ExampleRange, Trainee } from '../trainee';
import { denseNetworkOf, parameterShapes, type DenseWeights } from './dense-network';
import type { FusedEngine, FusedModel } from './fused-engine';

/** The initial weights TensorFlow.js would train from (Glorot uniform, seeded), in tfjs' layout. */
async function initialWeights(spec: ExperimentSpec): Promise<DenseWeights> {
  const model = buildModel(spec);
  try {
    return await Promise.all(model.getWeights().map((weight) => weight.data() as Promise<Float32Array>));
  } finally {
    model.dispose();
  }
}

/**
 * A run trained by a fused engine. It starts from the weights TensorFlow.js would start from and
 * saves in TensorFlow.js' layers format, so a run trained here predicts, compares and classifies
 * like any other.
 */
export class FusedTrainee implements Trainee {
  private constructor(
    private readonly model: FusedModel,
    private readonly spec: ExperimentSpec,
    private readonly data: FashionMnist,
  ) {}

  static async open(engine: FusedEngine, spec: ExperimentSpec, data: FashionMnist): Promise<FusedTrainee> {
    const model = await engine.open(denseNetworkOf(spec), await initialWeights(spec), optimizerSettingsOf(spec));
    return new FusedTrainee(model, spec, data);
  }

  trainEpoch(order: Uint32Array, hooks: EpochHooks): Promise<{ loss: number; accuracy: number } | null> {
    return this.model.trainEpoch(order, this.spec.batchSize, pixelScale(this.spec.normalize), hooks);
  }

  async lossAndAccuracy(range: ExampleRange): Promise<{ loss: number; accuracy: number }> {
    const { loss, accuracy } = await this.model.evaluate(range.set, range.first, range.count, pixelScale(this.spec.normalize));
    return { loss, accuracy };
  }

  async evaluateTestSet(): Promise<Evaluation> {
    const { test } = this.data;
    const { loss, accuracy, predicted } = await this.model.evaluate('test', 0, test.count, pixelScale(this.spec.normalize));
    return evaluationOf(predicted, test.labels, loss, accuracy);
  }

  keepWeights(): void {
    this.model.keepWeights();
  }

  restoreKeptWeights(): void {
    this.model.restoreKeptWeights();
  }

  async save(folder: string): Promise<string> {
    const weights = await this.model.readWeights();
    const shapes = parameterShapes(denseNetworkOf(this.spec));
    const model = buildModel(this.spec);
    const tensors = weights.map((values, index) => tf.tensor(values, shapes[index]));
    try {
      model.setWeights(tensors);
      return await saveModel(model, folder);
    } finally {
      tf.dispose(tensors);
      model.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
