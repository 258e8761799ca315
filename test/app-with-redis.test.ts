/**
 * The app with REDIS_URL: its queue hands jobs to a worker process through Redis (a job queued
 * before any worker is known waits, and goes once one appears), the run and its model are stored
 * here as with local trainers, and the bot keeps one trainer of its own, for predictions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../src/app';
import { parseConfig } from '../src/config';
import { defaultSpec } from '../src/experiments/spec';
import type { JobEnd } from '../src/jobs/queue';
import status from '../commands/status';
import { translator } from '../src/i18n/translate';
import { runOf } from './support/job-ends';
import { recordingContext } from './support/recording-context';
import { RedisServer } from './support/redis-server';
import { trainerTestEnv } from './support/trainer-env';
import { waitUntil } from './support/wait-until';
import { startWorker, type WorkerProcess } from './support/worker-process';

let redis: RedisServer;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await worker?.exited;
  await redis.stop();
});

test('a job queued before any worker is known trains on the worker that comes, and its run and model are stored by the bot', async () => {
  const env = trainerTestEnv({ TRAIN_EXAMPLES: '300', REDIS_URL: redis.url, TRAINERS: '2' });
  const app = createApp(parseConfig(env), { trainerEnv: env });
  try {
    let resolveEnd: (end: JobEnd) => void = () => undefined;
    const ended = new Promise<JobEnd>((resolve) => (resolveEnd = resolve));
    const spec = defaultSpec({ epochs: 1, hiddenUnits: 16, batchSize: 128, seed: 5 });
    const submit = () => app.services.queue.submit({ spec, exercise: null, user: { id: 's', name: 's' }, guildId: 'g', channelId: 'c', locale: 'en' }, { onEnd: resolveEnd });
    // Ready once connected to Redis: from then on jobs are taken, though no worker is known yet.
    await app.ready();
    app.services.queue.start();
    const outcome = submit();
    expect(outcome.ok).toBe(true);
    expect(app.services.queue.running()).toEqual([]);
    const before = recordingContext(app.services);
    await status.execute(before.ctx);
    expect(before.last()?.embeds?.[0].fields?.find((field) => field.name === translator('en')('workers.title'))?.value).toBe(translator('en')('workers.none'));
    worker = await startWorker({ ...env, DATA_DIR: path.join(env.DATA_DIR, 'worker'), TRAINERS: '1' });
    const run = runOf(await ended);
    expect(run.result.modelPath).toBe(path.join(env.DATA_DIR, 'models', run.runId));
    expect(fs.readdirSync(run.result.modelPath ?? '').sort()).toEqual(['model.json', 'weights.bin']);
    expect(app.services.runs.getRun(run.runId)?.ownerId).toBe('s');
    expect(app.services.trainer.size).toBe(1);

    // /status lists the worker from its heartbeats (every 2 s): its host, jobs done, last seen.
    const workers = app.services.workers;
    await waitUntil(() => workers?.view().some((beat) => beat.jobsDone === 1 && beat.jobIds.length === 0) ?? false, "the worker's heartbeat to count its job");
    const [beat] = workers?.view() ?? [];
    for (const locale of ['en', 'ko'] as const) {
      const { ctx, last } = recordingContext(app.services, { locale });
      await status.execute(ctx);
      const field = last()?.embeds?.[0].fields?.find((candidate) => candidate.name === translator(locale)('workers.title'));
      // The heartbeat may be renewed meanwhile: "last seen" is any moment.
      const line = translator(locale)('workers.idle', { host: beat.host, backend: 'wasm', trainers: 1, done: 1, seen: 'SEEN' });
      expect(field?.value).toMatch(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('SEEN', '<t:\\d+:f>')}$`));
    }
  } finally {
    await app.close();
  }
});
