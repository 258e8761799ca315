import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_LIMITS, defaultSpec } from '../../src/experiments/spec';
import type { FromTrainer } from '../../src/protocol/trainer-messages';
import { firstExamples } from '../../src/trainer/batches';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { JobHold } from '../../src/trainer/job-hold';
import { TrainerJobRunner } from '../../src/trainer/job-runner';
import { WebgpuEngine } from '../../src/trainer/webgpu/webgpu-engine';
import { swiftShaderAdapter } from '../support/swiftshader';

test('a job on a lost GPU device fails saying so, and the trainer is told to start afresh', async () => {
  await tf.setBackend('cpu');
  const full = readFashionMnist(DEBIAN_DATASET_DIR);
  const data = { ...full, train: firstExamples(full.train, 500), test: firstExamples(full.test, 100) };
  const engine = await WebgpuEngine.create(await swiftShaderAdapter(), data);
  const messages: FromTrainer[] = [];
  let failed: () => void = () => undefined;
  const failure = new Promise<void>((resolve) => (failed = resolve));
  let restarts = 0;
  const runner = new TrainerJobRunner(
    data,
    'webgpu',
    engine,
    500,
    DEFAULT_LIMITS,
    new JobHold(undefined),
    (message) => {
      messages.push(message);
      if (message.type === 'job-failed') failed();
    },
    () => (restarts += 1),
  );
  engine.loseDevice();
  runner.receive({ type: 'train', jobId: 'j1', runId: 'r1', spec: { ...defaultSpec({ hiddenUnits: 16, epochs: 1 }) }, modelDir: null });
  await failure;
  const [answer] = messages;
  expect(answer).toMatchObject({ type: 'job-failed', jobId: 'j1', failure: { code: 'device-lost', params: { reason: 'destroyed' }, detail: expect.stringContaining('the GPU device was lost') } });
  expect(restarts).toBe(1);
});
