import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { defaultSpec } from '../../src/experiments/spec';
import { selectBackend } from '../../src/trainer/backend';
import { buildModel } from '../../src/trainer/model';
import { saveModel } from '../../src/trainer/model-files';
import { ModelCache } from '../../src/trainer/predict';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-predict-'));

beforeAll(async () => {
  await selectBackend('wasm');
  const model = buildModel(defaultSpec({ hiddenUnits: 8, seed: 1 }));
  await saveModel(model, folder);
  model.dispose();
});

afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('ModelCache', () => {
  it('loads a model once for predictions that ask for it at the same time, and leaks no copy', async () => {
    const before = tf.memory().numTensors;
    const cache = new ModelCache();
    const [first, second, third] = await Promise.all([cache.get(folder), cache.get(folder), cache.get(folder)]);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(tf.memory().numTensors - before).toBe(cache.tensorCount());
    cache.forget(folder);
    expect(tf.memory().numTensors).toBe(before);
  });
});
