/**
 * The real bot process killed with SIGKILL while a job trains, and started again, against a fake
 * Discord that outlives it. The job that was running is run again first, and its student reads
 * so in their own message while its token lives; a second restart during that run fails it with
 * a Run again button, posted in the channel once the token is gone; the job waiting behind it
 * answers its student once. The trainer holds each job after its first epoch, so "while a job
 * trains" is the same moment on every machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { descendantsOf, killAll, startBotProcess, type BotProcess } from '../support/bot-process';
import { FakeDiscord, type FakeInteraction, type RecordedMessage } from '../support/fake-discord';
import { answered, ANSWER_TIMEOUT_MS, buttonIds, en, ko, latestMessage, runEnded, sentencePattern, textOf, TRAINING_TIMEOUT_MS, users } from './lab';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-restart-'));
const BASE_ENV = { TRAIN_EXAMPLES: '600', TRAINER_BACKEND: 'wasm' };
const HELD = { ...BASE_ENV, TRAINER_HOLD_AFTER_EPOCH: '1' };

let fake: FakeDiscord;
let bot: BotProcess | null = null;
/** Every process a bot started, to be sure none outlives the test. */
const started = new Set<number>();

beforeAll(async () => {
  fake = await FakeDiscord.start();
});

afterAll(async () => {
  if (bot) {
    bot.kill('SIGTERM');
    await bot.exited;
  }
  killAll(started);
  await fake.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  bot = await startBotProcess({ fake, dataDir, env });
  started.add(bot.pid);
  return bot;
}

/** SIGKILL, as an out-of-memory kill or a pulled plug would end it: no goodbye, nothing flushed. */
async function killBot(): Promise<void> {
  if (!bot) throw new Error('no bot to kill');
  for (const pid of descendantsOf(bot.pid)) started.add(pid);
  bot.kill('SIGKILL');
  expect(await bot.exited).toEqual({ code: null, signal: 'SIGKILL' });
  bot = null;
}

function jobIdOf(message: RecordedMessage): number {
  const cancel = buttonIds(message).find((id) => id.startsWith('cancel:'));
  if (!cancel) throw new Error(`message ${message.id} has no Cancel button`);
  return Number(cancel.split(':')[1]);
}

/** Waits until the interaction's own message shows `pattern` (the trainer holds the job there). */
function shows(interaction: FakeInteraction, pattern: RegExp, awaited: string): Promise<RecordedMessage> {
  return interaction.waitFor((i) => {
    const message = latestMessage(i);
    return message && pattern.test(message.content) ? message : undefined;
  }, TRAINING_TIMEOUT_MS, awaited);
}

/** Messages the bot posted in the channel itself, not as answers to an interaction. */
function channelPosts(): RecordedMessage[] {
  return fake.channelMessages().filter((message) => message.authorId === fake.applicationId && message.origin.interactionMetadata === undefined);
}

const firstEpoch = sentencePattern(en, 'progress.epoch_line', { epoch: 1 });

let alexTrain: FakeInteraction;
let minaTrain: FakeInteraction;
let alexJob: number;
let alexRun: string;
let minaJob: number;

it('a job that was running when the bot was killed runs again first, saying so in its student’s own message', async () => {
  await startBot(HELD);
  alexTrain = await fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 2 } });
  const queued = await answered(alexTrain);
  alexJob = jobIdOf(queued);
  alexRun = /`(r[0-9a-z]+)`/.exec(queued.content)?.[1] ?? '';
  await shows(alexTrain, firstEpoch, 'the first epoch of alex’s job');
  minaTrain = await fake.slashCommand({ user: users.mina, name: 'train', options: { epochs: 1 } });
  const minaQueued = await answered(minaTrain);
  expect(minaQueued.content).toMatch(sentencePattern(ko, 'queue.queued', { position: 2 }));
  minaJob = jobIdOf(minaQueued);

  await killBot();
  await startBot(HELD);

  const restarted = sentencePattern(en, 'queue.restarted', { jobId: alexJob, runId: alexRun });
  const rerunning = await shows(alexTrain, new RegExp(`${restarted.source}[\\s\\S]*${firstEpoch.source}`), 'alex’s job running again, in his own message');
  expect(rerunning.id).toBe(alexTrain.original()?.id);
  expect(buttonIds(rerunning)).toContain(`cancel:${alexJob}`);
  expect(channelPosts()).toEqual([]);
}, ANSWER_TIMEOUT_MS + 4 * TRAINING_TIMEOUT_MS);

it('a job cut off by a second restart is failed with a Run again button, in the channel once its token is gone, and the next job answers its student once', async () => {
  await killBot();
  alexTrain.expireToken();
  await startBot(BASE_ENV);

  const failed = await fake.waitFor(
    () => channelPosts().find((message) => buttonIds(message).includes(`rerun:${alexJob}`)),
    ANSWER_TIMEOUT_MS,
    'the failure of alex’s job in the channel',
  );
  expect(failed.content).toBe(en('failure.interrupted-by-restart'));

  const minaResult = await runEnded(minaTrain);
  expect(minaResult.id).toBe(minaTrain.original()?.id);
  expect(textOf(minaResult)).toMatch(sentencePattern(ko, 'result.title', { headline: ko('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
  // Once: nothing about her job was posted anywhere else.
  expect(channelPosts().filter((message) => textOf(message).includes(`#${minaJob}`) || buttonIds(message).some((id) => id.endsWith(`:${minaJob}`)))).toEqual([]);

  const again = await fake.clickButton({ user: users.alex, messageId: failed.id, customId: `rerun:${alexJob}` });
  const result = await runEnded(again);
  expect(textOf(result)).toMatch(sentencePattern(en, 'result.title', { headline: en('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
}, ANSWER_TIMEOUT_MS + 4 * TRAINING_TIMEOUT_MS);

it('obeyed Discord’s rules across the restarts: every interaction acknowledged in time, no rate limit met', () => {
  for (const interaction of fake.interactions()) {
    expect(interaction.callbacks).toHaveLength(1);
    expect(interaction.callbacks[0].elapsedMs).toBeLessThan(3000);
  }
  expect(fake.stats.rateLimited).toBe(0);
  expect(fake.stats.identifies).toHaveLength(3);
});

it('with two trainers, both jobs running when the bot was killed run again, saying so, and the one waiting behind them runs too, each answered once in its own message', async () => {
  await killBot();
  const POOL = { TRAINERS: '2' };
  await startBot({ ...HELD, ...POOL });
  const trains = await Promise.all(
    [users.alex, users.mina, users.sam].map((user, index) => fake.slashCommand({ user, name: 'train', options: { epochs: index < 2 ? 2 : 1 } })),
  );
  const jobs = (await Promise.all(trains.map((interaction) => answered(interaction)))).map(jobIdOf);
  const [alex, mina] = trains;
  // Both trainers hold a job after its first epoch; sam's waits behind them.
  await Promise.all([shows(alex, firstEpoch, 'the first epoch of alex’s job'), shows(mina, sentencePattern(ko, 'progress.epoch_line', { epoch: 1 }), 'the first epoch of mina’s job')]);

  await killBot();
  await startBot({ ...BASE_ENV, ...POOL });

  const ends = await Promise.all(trains.map((interaction) => runEnded(interaction)));
  // Each result is its student's own message, edited; the two cut-off jobs said first that they ran again.
  expect(ends.map((end) => end.id)).toEqual(trains.map((interaction) => interaction.original()?.id));
  for (const [index, interaction] of [alex, mina].entries()) {
    const t = index === 0 ? en : ko;
    const restarted = sentencePattern(t, 'queue.restarted', { jobId: jobs[index] });
    expect(interaction.original()?.versions.some((version) => restarted.test(version.payload.content ?? ''))).toBe(true);
  }
  // Once: nothing about these jobs was posted anywhere else.
  expect(channelPosts().filter((message) => jobs.some((jobId) => textOf(message).includes(`#${jobId}`) || buttonIds(message).some((id) => id.endsWith(`:${jobId}`))))).toEqual([]);
}, ANSWER_TIMEOUT_MS + 4 * TRAINING_TIMEOUT_MS);
