import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, PIXELS, type Split } from './dataset';
import { loadModel, modelVersion } from './model-files';

/** The ten class probabilities for one 28x28 image given as 784 values in 0-1. */
export async function predictProbabilities(model: tfl.LayersModel, pixels: Float32Array, normalize: boolean): Promise<number[]> {
  const probabilities = tf.tidy(() => {
    const scaled = normalize ? pixels : pixels.map((value) => value * 255);
    return model.predict(tf.tensor3d(scaled, [1, IMAGE_SIZE, IMAGE_SIZE])) as tf.Tensor;
  });
  try {
    // Asynchronous: tfjs-backend-webgpu cannot read synchronously in Node.
    return Array.from(await probabilities.data());
  } finally {
    probabilities.dispose();
  }
}

/** A test image as 784 values in 0-1 and as the raw bytes. */
export function testImage(test: Split, index: number): { pixels: Float32Array; bytes: Uint8Array; label: number } {
  const bytes = test.images.slice(index * PIXELS, (index + 1) * PIXELS);
  return { pixels: Float32Array.from(bytes, (value) => value / 255), bytes, label: test.labels[index] };
}

/**
 * Keeps the few most recently used models in memory, so repeated predictions do not reload them.
 * Predictions that ask for the same model while it loads share that one load: two loads would
 * leave a copy nobody disposes. A folder whose files were replaced since (the class model,
 * retrained by another trainer or on a worker) is loaded again.
 */
export class ModelCache {
  private readonly models = new Map<string, { version: string; model: tfl.LayersModel }>();
  private readonly loading = new Map<string, { version: string; load: Promise<tfl.LayersModel> }>();

  constructor(private readonly capacity = 3) {}

  async get(folder: string): Promise<tfl.LayersModel> {
    const version = modelVersion(folder);
    const cached = this.models.get(folder);
    if (cached?.version === version) {
      this.models.delete(folder);
      this.models.set(folder, cached);
      return cached.model;
    }
    const inFlight = this.loading.get(folder);
    if (inFlight?.version === version) return inFlight.load;
    const load = loadModel(folder)
      .then((model) => {
        this.keep(folder, version, model);
        return model;
      })
      .finally(() => {
        if (this.loading.get(folder)?.load === load) this.loading.delete(folder);
      });
    this.loading.set(folder, { version, load });
    return load;
  }

  private keep(folder: string, version: string, model: tfl.LayersModel): void {
    this.forget(folder);
    this.models.set(folder, { version, model });
    if (this.models.size > this.capacity) {
      const [oldest] = this.models.keys();
      this.forget(oldest);
    }
  }

  /** Forgets a model, e.g. after a retrained class model replaced the files. */
  forget(folder: string): void {
    this.models.get(folder)?.model.dispose();
    this.models.delete(folder);
  }

  /** Tensors held by cached models (not a leak: they are counted out of the leak check). */
  tensorCount(): number {
    let count = 0;
    for (const { model } of this.models.values()) count += model.weights.length;
    return count;
  }
}
