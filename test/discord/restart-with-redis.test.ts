/**
 * The real bot process on the queue on Redis, SIGKILLed with one job training on a worker and ten
 * waiting, and started again: the running job trained on meanwhile and is taken up where it is
 * (its student reads so in their own message), a second worker joins, and all eleven students get
 * their one result, in their own message: none lost, none trained twice. Real redis-server, real
 * worker processes; the running job is held after its first epoch (TRAINER_HOLD_AFTER_EPOCH)
 * until its student cancels it, so "while it trains" is the same moment on every machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TRAINING_QUEUE } from '../../src/protocol/worker-messages';
import { descendantsOf, killAll, startBotProcess, type BotProcess } from '../support/bot-process';
import { FakeDiscord, type FakeInteraction, type FakeUser } from '../support/fake-discord';
import { RedisServer } from '../support/redis-server';
import { startWorker, type WorkerProcess } from '../support/worker-process';
import { answered, ANSWER_TIMEOUT_MS, buttonIds, en, firstEpochShown, jobIdOf, runEnded, sentencePattern, shownOnOwnMessage, textOf, TRAINING_TIMEOUT_MS } from './lab';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-restart-redis-'));
const TRAINING = { TRAIN_EXAMPLES: '300', TRAINER_BACKEND: 'wasm' };
const WAITING = 10;

let fake: FakeDiscord;
let redis: RedisServer;
let bot: BotProcess | null = null;
const workers: WorkerProcess[] = [];
/** Every process a bot started, to be sure none outlives the test. */
const started = new Set<number>();

const student = (index: number): FakeUser => ({ id: `2123456789012300${String(index).padStart(2, '0')}`, username: `student${index}`, locale: 'en-US' });

beforeAll(async () => {
  fake = await FakeDiscord.start();
  redis = await RedisServer.start();
});

afterAll(async () => {
  if (bot) {
    bot.kill('SIGTERM');
    await bot.exited;
  }
  for (const worker of workers) worker.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  killAll(started);
  await redis.stop();
  await fake.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startBot(): Promise<void> {
  bot = await startBotProcess({ fake, dataDir, env: { ...TRAINING, REDIS_URL: redis.url } });
  started.add(bot.pid);
}

async function addWorker(name: string): Promise<void> {
  workers.push(await startWorker({ ...process.env, ...TRAINING, DATA_DIR: path.join(dataDir, name), REDIS_URL: redis.url, TRAINERS: '1', TRAINER_HOLD_AFTER_EPOCH: '1' }));
}

/** How many times BullMQ's event stream says each job (by its SQLite id) completed. */
async function completions(): Promise<Map<number, number>> {
  const connection = new Redis(redis.url);
  try {
    const entries = await connection.xrange(`bull:${TRAINING_QUEUE}:events`, '-', '+');
    const counts = new Map<number, number>();
    for (const [, fields] of entries) {
      const event = Object.fromEntries(fields.flatMap((value, index) => (index % 2 === 0 ? [[value, fields[index + 1]]] : [])));
      const jobId = Number(/^job-(\d+)-/.exec(String(event.jobId))?.[1]);
      if (event.event === 'completed') counts.set(jobId, (counts.get(jobId) ?? 0) + 1);
    }
    return counts;
  } finally {
    connection.disconnect();
  }
}

it('a bot SIGKILLed with one job training on a worker and ten waiting takes them all up again: every student gets one result, none trained twice', async () => {
  await addWorker('w1');
  await startBot();
  const runningTrain = await fake.slashCommand({ user: student(0), name: 'train', options: { epochs: 2 } });
  const runningJob = jobIdOf(await answered(runningTrain));
  await firstEpochShown(runningTrain, en);
  const waitingTrains: FakeInteraction[] = [];
  for (let index = 1; index <= WAITING; index += 1) waitingTrains.push(await fake.slashCommand({ user: student(index), name: 'train', options: { epochs: 1 } }));
  const queued = await Promise.all(waitingTrains.map((interaction) => answered(interaction)));
  // Behind the running job, in the order they came.
  queued.forEach((message, index) => expect(message.content).toMatch(sentencePattern(en, 'queue.queued', { position: index + 2 })));
  const jobs = [runningJob, ...queued.map(jobIdOf)];

  if (!bot) throw new Error('no bot to kill');
  for (const pid of descendantsOf(bot.pid)) started.add(pid);
  bot.kill('SIGKILL');
  expect(await bot.exited).toEqual({ code: null, signal: 'SIGKILL' });
  bot = null;
  await startBot();
  await addWorker('w2');

  const resumed = sentencePattern(en, 'queue.resumed', { jobId: runningJob });
  const takenUp = await shownOnOwnMessage(runningTrain, resumed, 'the running job taken up, in its student’s own message');
  expect(takenUp.id).toBe(runningTrain.original()?.id);
  await fake.clickButton({ user: student(0), messageId: takenUp.id, customId: `cancel:${runningJob}` });
  const ends = await Promise.all([runningTrain, ...waitingTrains].map((interaction) => runEnded(interaction)));
  expect(ends.map((end) => end.id)).toEqual([runningTrain, ...waitingTrains].map((interaction) => interaction.original()?.id));
  // The running job was stopped where it had been held before the kill: the same training went on.
  expect(textOf(ends[0])).toMatch(sentencePattern(en, 'stop.cancelled', { epoch: 1 }));
  const counts = await completions();
  expect(jobs.map((jobId) => counts.get(jobId))).toEqual(jobs.map(() => 1));
  // Once: nothing about these jobs was posted anywhere but in their own messages.
  const elsewhere = fake.channelMessages().filter((message) => message.authorId === fake.applicationId && message.origin.interactionMetadata === undefined);
  expect(elsewhere.filter((message) => jobs.some((jobId) => textOf(message).includes(`#${jobId}`) || buttonIds(message).some((id) => id.endsWith(`:${jobId}`))))).toEqual([]);
}, ANSWER_TIMEOUT_MS + 4 * TRAINING_TIMEOUT_MS);
