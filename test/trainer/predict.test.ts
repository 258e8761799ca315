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

  it('loads a folder again once its files were replaced (a class model retrained by another process), and frees the old copy', async () => {
    const before = tf.memory().numTensors;
    const cache = new ModelCache();
    const replaced = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-replaced-'));
    fs.cpSync(folder, replaced, { recursive: true });
    const first = await cache.get(replaced);
    expect(await cache.get(replaced)).toBe(first);
    const retrained = buildModel(defaultSpec({ hiddenUnits: 8, seed: 2 }));
    await saveModel(retrained, replaced);
    const expected = retrained.getWeights()[0].dataSync();
    retrained.dispose();
    const second = await cache.get(replaced);
    expect(second).not.toBe(first);
    expect(second.getWeights()[0].dataSync()).toEqual(expected);
    expect(tf.memory().numTensors - before).toBe(cache.tensorCount());
    cache.forget(replaced);
    expect(tf.memory().numTensors).toBe(before);
    fs.rmSync(replaced, { recursive: true, force: true });
  });
});
