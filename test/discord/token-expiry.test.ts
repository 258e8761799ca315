/**
 * Results are never lost: a job that outlives its interaction token (3 s here, 15 minutes on
 * Discord) finishes in an ordinary channel message, and a job queued before the bot started
 * (nobody watching it) has its result posted in its channel, in its author's language.
 * The job that outlives its token is held by the trainer after its first epoch until the token
 * is dead, so the test is the same on a fast machine and a slow one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { experimentSpecSchema, DEFAULT_LIMITS } from '../../src/experiments/spec';
import { newRunId } from '../../src/jobs/queue';
import type { RecordedMessage } from '../support/fake-discord';
import { answered, ANSWER_TIMEOUT_MS, buttonIds, en, ko, PNG_SIGNATURE, sentencePattern, startLab, textOf, TRAINING_TIMEOUT_MS, users, type Lab } from './lab';

const TOKEN_LIFETIME_MS = 3000;

let lab: Lab;
const leftBehind = { runId: newRunId(), jobId: 0 };

beforeAll(async () => {
  lab = await startLab({
    fake: { tokenLifetimeMs: TOKEN_LIFETIME_MS, advertiseRateLimits: false },
    bot: { tokenLifetimeMs: TOKEN_LIFETIME_MS },
    env: { TRAINER_HOLD_AFTER_EPOCH: '1,2' },
    // A job queued before this start of the bot: whoever asked for it is no longer being answered.
    beforeStart: (app, fake) => {
      leftBehind.jobId = app.services.jobs.enqueue({
        kind: 'train',
        payload: { runId: leftBehind.runId, spec: experimentSpecSchema(DEFAULT_LIMITS).parse({ epochs: 1 }), exercise: null },
        userId: users.mina.id,
        userName: users.mina.username,
        guildId: fake.guildId,
        channelId: fake.channelId,
        locale: 'ko',
        priority: 0,
      }).id;
    },
  });
});

afterAll(async () => {
  await lab?.stop();
});

/** Messages the bot posted in the channel itself, not as answers to an interaction. */
function channelPosts(): RecordedMessage[] {
  return lab.fake.channelMessages().filter((message) => message.authorId === lab.fake.applicationId && message.origin.interactionMetadata === undefined);
}

it('posts the result of a job nobody watches in its channel, in its author’s language', async () => {
  const post = await lab.fake.waitFor(
    () => channelPosts().find((message) => buttonIds(message).includes(`again:${leftBehind.runId}`)),
    TRAINING_TIMEOUT_MS,
    'the result of the job queued before the start, in the channel',
  );
  expect(textOf(post)).toMatch(sentencePattern(ko, 'result.title', { runId: leftBehind.runId, headline: ko('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
  expect(post.files).toHaveLength(3);
  for (const file of post.files) expect(file.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(lab.app.services.jobs.get(leftBehind.jobId)?.state).toBe('done');
});

it('continues a job that outlives its interaction token in one channel message, and loses nothing', async () => {
  const interaction = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 3 } });
  const queued = await answered(interaction);
  const runId = /`(r[0-9a-z]+)`/.exec(queued.content)?.[1] ?? '';
  expect(queued.content).toMatch(sentencePattern(en, 'queue.queued', { runId }));

  // The first epoch's line is shown (in the interaction, or already in the channel on a slow
  // machine); the trainer now holds the job until it is released.
  const firstEpoch = sentencePattern(en, 'progress.epoch_line', { epoch: 1 });
  await lab.fake.waitFor(
    (fake) => fake.channelMessages().some((message) => message.content.includes(runId) && firstEpoch.test(message.content)),
    TRAINING_TIMEOUT_MS,
    `the first epoch of run ${runId}`,
  );
  await sleep(Math.max(0, interaction.createdAt + TOKEN_LIFETIME_MS - Date.now()));
  lab.app.services.trainer.release();

  // Held again after the second epoch: its progress, paced, now has to go to the channel.
  const secondEpoch = sentencePattern(en, 'progress.epoch_line', { epoch: 2 });
  await lab.fake.waitFor(
    () => channelPosts().some((message) => textOf(message).includes(runId) && secondEpoch.test(textOf(message))),
    TRAINING_TIMEOUT_MS,
    `the progress of run ${runId} after its second epoch, in the channel`,
  );
  lab.app.services.trainer.release();

  const moved = await lab.fake.waitFor(
    () => {
      const posts = channelPosts().filter((message) => textOf(message).includes(runId));
      const last = posts.at(-1);
      return last && buttonIds(last).some((id) => id.startsWith('again:')) ? posts : undefined;
    },
    TRAINING_TIMEOUT_MS,
    `the result of run ${runId} in the channel`,
  );

  // Sent once, then edited: progress first, the result last.
  expect(moved).toHaveLength(1);
  const [message] = moved;
  expect(message.versions.filter((version) => version.kind === 'create')).toHaveLength(1);
  expect(message.versions[0].payload.content).toMatch(/epoch \d+\/3/);
  expect(textOf(message)).toMatch(sentencePattern(en, 'result.title', { runId }));
  expect(message.files.map((file) => file.name)).toEqual([`${runId}-curves.png`, `${runId}-confusion.png`, `${runId}-per-class.png`]);
  expect(lab.app.services.runs.getRun(runId)?.result.epochs).toHaveLength(3);

  // The interaction's own message was left alone once its token was about to expire.
  const original = interaction.original();
  for (const version of original?.versions ?? []) expect(version.at - interaction.createdAt).toBeLessThan(TOKEN_LIFETIME_MS);
  const expiredTokenUses = lab.fake.stats.rejections.filter((rejection) => rejection.code === 50027);
  expect(expiredTokenUses.length).toBeLessThanOrEqual(1);
  expect(lab.log.some((line) => line.includes('/train: the interaction token is about to expire'))).toBe(true);
  expect(lab.fake.stats.rateLimited).toBe(0);
  for (const version of message.versions) expect(version.payload.allowed_mentions).toEqual({ parse: [] });
}, ANSWER_TIMEOUT_MS + 2 * TRAINING_TIMEOUT_MS);
