/**
 * The app's pool of trainer processes (TRAINERS): each trainer is told its share of the cores for a
 * multi-threaded engine (TRAINER_THREADS in its environment, read from /proc), unless
 * TRAINER_THREADS says how many, and the fused CPU engine runs on that many threads.
 */
import fs from 'node:fs';
import { createApp } from '../src/app';
import { parseConfig } from '../src/config';
import { defaultThreads } from '../src/trainer/backend';
import { trainerTestEnv } from './support/trainer-env';

async function trainerThreads(overrides: Record<string, string>): Promise<(string | undefined)[]> {
  const env = trainerTestEnv({ TRAINERS: '2' });
  // A TRAINER_THREADS of the environment running the tests must not decide the default case.
  delete env.TRAINER_THREADS;
  Object.assign(env, overrides);
  const app = createApp(parseConfig(env), { trainerEnv: env });
  try {
    await app.services.trainer.start();
    return app.services.trainer.clients.map((client) => {
      const variables = fs.readFileSync(`/proc/${client.pid}/environ`, 'utf8').split('\0');
      return variables.find((variable) => variable.startsWith('TRAINER_THREADS='))?.split('=')[1];
    });
  } finally {
    await app.close();
  }
}

test('each of two trainers is given half the cores by default', async () => {
  const share = defaultThreads(2);
  expect(share).toBe(Math.max(1, Math.floor(defaultThreads() / 2)));
  expect(await trainerThreads({})).toEqual([String(share), String(share)]);
});

test('TRAINER_THREADS, when set, is what each trainer is given', async () => {
  expect(await trainerThreads({ TRAINER_THREADS: '3' })).toEqual(['3', '3']);
});

test('the fused CPU engine of each of two trainers runs on that share of the cores', async () => {
  const env = trainerTestEnv({ TRAINERS: '2', TRAINER_BACKEND: 'onnx' });
  delete env.TRAINER_THREADS;
  const app = createApp(parseConfig(env), { trainerEnv: env });
  try {
    await app.services.trainer.start();
    expect(app.services.trainer.clients.map((client) => client.readyInfo?.backend.engine?.threads)).toEqual([defaultThreads(2), defaultThreads(2)]);
  } finally {
    await app.close();
  }
});
