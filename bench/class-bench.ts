/**
 * `npm run bench:class -- --students 30 --examples 6000 [--trainers 1,2] [--redis-workers 2] [--json FILE]`
 *
 * A class sends its default `/train` at once: each student's job goes through the real queue
 * (the /train flow, the SQLite queue, the lab's rules) to real trainer processes. For each pool
 * size it prints the time from the first submission to the last job's end (the trainers are
 * started and have loaded the data before the clock starts), and the speed-up over the first
 * pool size. The backend is TRAINER_BACKEND of the environment (wasm is single-threaded).
 * With --redis-workers N (0: none) it then drains the same class through BullMQ on a redis-server
 * of its own, with N worker processes of one trainer each (started and loaded before the clock).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, type App } from '../src/app';
import { buildSpec } from '../src/commands/spec-options';
import { trainAndFollow } from '../src/commands/training-flow';
import { parseConfig } from '../src/config';
import { defaultThreads } from '../src/trainer/backend';
import { recordingContext } from '../test/support/recording-context';
import { RedisServer } from '../test/support/redis-server';
import { startWorker } from '../test/support/worker-process';

const optionsSchema = z.object({
  students: z.coerce.number().int().min(1).max(200).default(30),
  examples: z.coerce.number().int().min(1).max(60000).default(6000),
  trainers: z
    .string()
    .default('1,2')
    .transform((list) => list.split(',').map((each) => Number(each.trim())))
    .pipe(z.array(z.number().int().min(1).max(64)).min(1)),
  'redis-workers': z.coerce.number().int().min(0).max(16).default(2),
  json: z.string().min(1).optional(),
});
type Options = z.infer<typeof optionsSchema>;

interface Drain {
  /** Where the jobs trained: local trainers, or workers behind Redis. */
  via: 'local' | 'redis';
  trainers: number;
  backend: string;
  jobs: number;
  failed: number;
  seconds: number;
  jobsPerMinute: number;
  /** Mean training time of a job, as its trainer timed it: what sharing the cores costs each job. */
  trainSecondsPerJob: number;
  /** CPU time of the bot's own process (queue, progress, charts) while it drained: what the trainers did not get. */
  botCpuSeconds: number;
  speedUp: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { students: { type: 'string' }, examples: { type: 'string' }, trainers: { type: 'string' }, 'redis-workers': { type: 'string' }, json: { type: 'string' } } });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`);
    throw new Error(`Invalid bench:class options:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Drains one class's default /train on a fresh lab, with `trainers` local trainer processes or, with `redis`, the workers behind it. */
async function drain(options: Options, trainers: number, redis?: { url: string; workers: number }): Promise<Omit<Drain, 'speedUp'>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-class-bench-'));
  const env = { ...process.env, DATA_DIR: dataDir, TRAIN_EXAMPLES: String(options.examples), TRAINERS: String(trainers), QUEUE_CAP: String(options.students), DISCORD_TOKEN: '', REDIS_URL: redis?.url ?? '' };
  const config = parseConfig(env);
  const notes: string[] = [];
  const app = createApp(config, { log: { info: () => undefined, error: (message, cause) => notes.push(`${message}: ${String(cause)}`) }, trainerEnv: env });
  try {
    const ready = await app.services.trainer.start();
    await app.ready();
    app.services.queue.start();
    if (redis) await waitForWorkers(app, redis.workers);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const ends = await Promise.all(
      Array.from({ length: options.students }, (_, index) => {
        const { ctx } = recordingContext(app.services, { userId: `student${index + 1}` });
        const spec = buildSpec({}, {}, app.services.rules.limitsOf(ctx.guildId));
        if (!spec.ok) throw new Error(`the default /train was refused: ${spec.refusal.code}`);
        return trainAndFollow(ctx, spec.value, null);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const botCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const runs = ends.flatMap((end) => (end?.kind === 'run' ? [end.run] : []));
    const failed = ends.length - runs.length;
    const trainSecondsPerJob = runs.reduce((sum, run) => sum + run.result.seconds, 0) / Math.max(1, runs.length);
    for (const note of notes) process.stderr.write(`${note}\n`);
    return { via: redis ? 'redis' : 'local', trainers, backend: ready.backend.name, jobs: ends.length, failed, seconds, jobsPerMinute: (ends.length / seconds) * 60, trainSecondsPerJob, botCpuSeconds };
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits until the bot's queue counts the heartbeats of all the workers (they beat every 2 s). */
async function waitForWorkers(app: App, workers: number): Promise<void> {
  while ((app.services.workers?.view().length ?? 0) < workers) await sleep(50);
}

/** The same class through a redis-server of its own and `workers` worker processes of one trainer each. */
async function drainThroughRedis(options: Options, workers: number): Promise<Omit<Drain, 'speedUp'>> {
  const redis = await RedisServer.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-class-bench-workers-'));
  // The workers share this machine's cores, as the same number of local trainers would.
  const env = { TRAINER_THREADS: String(defaultThreads(workers)), ...process.env, DATA_DIR: dataDir, TRAIN_EXAMPLES: String(options.examples), TRAINERS: '1', REDIS_URL: redis.url, DISCORD_TOKEN: '' };
  const started = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));
  try {
    return await drain(options, workers, { url: redis.url, workers });
  } finally {
    for (const worker of started) worker.kill('SIGTERM');
    await Promise.all(started.map((worker) => worker.exited));
    await redis.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(`bench:class: ${options.students} students' default /train on ${options.examples} examples, ${os.availableParallelism()} cores`);
  const drains: Drain[] = [];
  const measures = [...options.trainers.map((trainers) => () => drain(options, trainers)), ...(options['redis-workers'] > 0 ? [() => drainThroughRedis(options, options['redis-workers'])] : [])];
  for (const measure of measures) {
    const measured = await measure();
    const speedUp = drains.length === 0 ? 1 : drains[0].seconds / measured.seconds;
    drains.push({ ...measured, speedUp });
    const where = measured.via === 'redis' ? `Redis with ${measured.trainers} worker(s)` : `${measured.trainers} local trainer(s)`;
    console.log(
      `${where}, ${measured.backend}: ${measured.jobs} jobs (${measured.failed} failed) drained in ${measured.seconds.toFixed(1)} s, ` +
        `${measured.jobsPerMinute.toFixed(2)} jobs/min, ${measured.trainSecondsPerJob.toFixed(2)} s of training a job, bot CPU ${measured.botCpuSeconds.toFixed(1)} s, speed-up ${speedUp.toFixed(2)}x`,
    );
  }
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify({ students: options.students, examples: options.examples, results: drains }, null, 2)}\n`);
  if (drains.some((each) => each.failed > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
