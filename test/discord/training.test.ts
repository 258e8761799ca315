/**
 * The real bot, the real trainer process and the fake Discord, typed as students would: /train
 * from slash command to charts, live progress paced without rate limits, the queue shared by
 * two students, cancel by button, compare in a thread, /predict, /exercise 1 and 3.
 * The fake does not advertise its rate limits, so only the bot's own pacing can keep it from 429s.
 * A job of more than HOLD_AFTER_EPOCH epochs is held by the trainer after that epoch, so the long
 * job two students share the queue with is still running when it is cancelled, on any machine.
 */
import sharp from 'sharp';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { photoLikeSample, SVG_PICTURE } from '../support/photos';
import type { FakeInteraction } from '../support/fake-discord';
import { ANSWER_TIMEOUT_MS, answered, botMessageVersions, buttonIds, en, jobIdOf, ko, latestMessage, PNG_SIGNATURE, runEnded, sentencePattern, startLab, textOf, TRAINING_TIMEOUT_MS, until, users, type Lab } from './lab';

let lab: Lab;

/** Above the epochs of every other job here (exercise 1 runs 5), below the long job's 50. */
const HOLD_AFTER_EPOCH = 10;

beforeAll(async () => {
  lab = await startLab({ fake: { advertiseRateLimits: false }, env: { TRAINER_HOLD_AFTER_EPOCH: String(HOLD_AFTER_EPOCH) } });
});

afterAll(async () => {
  await lab?.stop();
});

async function expectPng(bytes: Buffer): Promise<void> {
  expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  const metadata = await sharp(bytes).metadata();
  expect(metadata.format).toBe('png');
  expect(metadata.width).toBeGreaterThanOrEqual(200);
}

let firstRunId = '';

/** Past HOLD_AFTER_EPOCH, so the job is held there until its progress has been shown. */
const FIRST_EPOCHS = HOLD_AFTER_EPOCH + 2;

it('/train goes from slash command to a result with an embed and PNG charts, through progress edits', async () => {
  const interaction = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: FIRST_EPOCHS } });
  const queued = await answered(interaction);
  expect(queued.content).toMatch(sentencePattern(en, 'queue.queued', { position: 1 }));
  expect(buttonIds(queued)).toEqual([`cancel:${jobIdOf(queued)}`]);

  const progressLine = new RegExp(`epoch \\d+/${FIRST_EPOCHS}`);
  await interaction.waitFor(
    () => interaction.original()?.versions.some((version) => progressLine.test(version.payload.content ?? '')),
    TRAINING_TIMEOUT_MS,
    `a progress edit of the held job (epoch n/${FIRST_EPOCHS})`,
  );
  lab.app.services.trainer.release();

  const result = await runEnded(interaction);
  firstRunId = buttonIds(result).find((id) => id.startsWith('again:'))?.split(':')[1] ?? '';
  expect(result.id).toBe(interaction.original()?.id);

  const [embed] = result.embeds as { title: string; image?: { url: string }; fields: { name: string; value: string }[] }[];
  expect(embed.title).toMatch(sentencePattern(en, 'result.title', { headline: en('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
  expect(embed.fields.map((field) => field.name)).toEqual(expect.arrayContaining([en('result.field.test_accuracy'), en('result.field.seconds_per_epoch'), en('result.field.backend')]));
  expect(result.files.map((file) => file.name)).toEqual([expect.stringMatching(/-curves\.png$/), expect.stringMatching(/-confusion\.png$/), expect.stringMatching(/-per-class\.png$/)]);
  expect(embed.image?.url).toContain(result.files[0].name);
  for (const file of result.files) await expectPng(file.bytes);
  expect(lab.app.services.runs.getRun(firstRunId)?.result.epochs).toHaveLength(FIRST_EPOCHS);
});

it('/predict index:0 shows the ten probabilities of test image 0 with the image', async () => {
  const reply = await answered(await lab.fake.slashCommand({ user: users.alex, name: 'predict', options: { index: 0 } }));
  expect(textOf(reply)).toContain(en('predict.title', { index: 0 }));
  expect(textOf(reply)).toMatch(sentencePattern(en, 'predict.top', { rank: 1 }));
  expect(reply.files.map((file) => file.name)).toEqual([expect.stringMatching(/seen\.png$/), expect.stringMatching(/probabilities\.png$/)]);
  for (const file of reply.files) await expectPng(file.bytes);
});

it('suggests runs while the user types the run option', async () => {
  const interaction = await lab.fake.autocomplete({ user: users.alex, name: 'predict', options: { index: 0, run: firstRunId.slice(0, 3) }, focused: 'run' });
  const callback = await interaction.waitFor((i) => i.callbacks[0], ANSWER_TIMEOUT_MS, 'the autocomplete choices');
  expect(callback.type).toBe(8);
  const { choices } = callback.data as { choices: { name: string; value: string }[] };
  expect(choices.length).toBeLessThanOrEqual(25);
  expect(choices.map((choice) => choice.value)).toContain(firstRunId);
});

describe('two students sharing the queue', () => {
  let alexTrain: FakeInteraction;
  let minaTrain: FakeInteraction;
  let alexJob: number;
  let minaJob: number;

  it('tells the second student their position, and refuses a student’s second job politely', async () => {
    alexTrain = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 50 } });
    alexJob = jobIdOf(await answered(alexTrain));
    await until(() => lab.app.services.queue.running()[0]?.id === alexJob, `job ${alexJob} to run`);

    minaTrain = await lab.fake.slashCommand({ user: users.mina, name: 'train', options: { epochs: 1 } });
    const minaQueued = await answered(minaTrain);
    expect(minaQueued.content).toMatch(sentencePattern(ko, 'queue.queued', { position: 2 }));
    minaJob = jobIdOf(minaQueued);

    const secondTrain = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 1 } });
    const again = await answered(secondTrain);
    expect(again.ephemeral).toBe(true);
    // Private from the first response on: classmates never see a "thinking…" for a refusal.
    expect(secondTrain.callbacks.map((callback) => callback.type)).toEqual([4]);
    expect(secondTrain.messages()).toEqual([again]);
    expect(again.content).toMatch(sentencePattern(en, 'error.already_queued', { jobId: alexJob }));
    expect(lab.app.services.queue.waiting().map((job) => job.id)).toEqual([minaJob]);
  });

  it('lists both jobs in /queue, in English and in Korean', async () => {
    const english = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'queue' })));
    const korean = textOf(await answered(await lab.fake.slashCommand({ user: users.mina, name: 'queue' })));
    expect(english).toContain(en('queue.title'));
    expect(english).toMatch(sentencePattern(en, 'queue.running', { jobId: alexJob, user: 'alex' }));
    expect(english).toMatch(sentencePattern(en, 'queue.waiting', { position: 1, jobId: minaJob, user: 'mina' }));
    expect(korean).toMatch(sentencePattern(ko, 'queue.waiting', { position: 1, jobId: minaJob, user: 'mina' }));
  });

  it('lets only the owner or a teacher cancel a job', async () => {
    const refused = await answered(await lab.fake.slashCommand({ user: users.sam, name: 'cancel', options: { job: minaJob } }));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(en('cancel.not_yours', { jobId: minaJob }));

    const byTeacher = await answered(await lab.fake.slashCommand({ user: users.teacher, name: 'cancel', options: { job: minaJob } }));
    expect(byTeacher.content).toBe(en('cancel.cancelled', { jobId: minaJob }));
    // Mina's own message says so, in Korean, and only she is told who cancelled it.
    await minaTrain.waitFor((i) => i.original()?.content === ko('cancel.cancelled', { jobId: minaJob }), ANSWER_TIMEOUT_MS, 'the cancel of her job, in Korean');
    const note = await minaTrain.waitFor(
      (i) => i.followups().find((message) => message.content === ko('cancel.cancelled_by', { user: 'mina', jobId: minaJob, teacher: 'ms_kim' })),
      ANSWER_TIMEOUT_MS,
      'the private note naming the teacher who cancelled',
    );
    expect(note.ephemeral).toBe(true);
    expect(lab.app.services.jobs.get(minaJob)?.state).toBe('cancelled');
  });

  it('cancels a running job with the Cancel button of its progress message', async () => {
    const progress = alexTrain.original();
    if (!progress) throw new Error('no progress message');
    const click = await lab.fake.clickButton({ user: users.alex, messageId: progress.id, customId: `cancel:${alexJob}` });
    expect((await answered(click)).content).toBe(en('cancel.stopping', { jobId: alexJob }));

    const result = await runEnded(alexTrain);
    expect(textOf(result)).toContain(en('result.headline.cancelled'));
    expect(lab.app.services.jobs.get(alexJob)?.state).toBe('cancelled');
    const run = lab.app.services.runs.getRun(buttonIds(result).find((id) => id.startsWith('again:'))?.split(':')[1] ?? '');
    expect(run?.result.epochs.length).toBeLessThan(50);
  });

  it('compares a run with the previous one in a thread when Compare is clicked', async () => {
    const result = latestMessage(alexTrain);
    const compareId = result && buttonIds(result).find((id) => id.startsWith('compare:'));
    if (!result || !compareId) throw new Error('no Compare button');
    const click = await lab.fake.clickButton({ user: users.alex, messageId: result.id, customId: compareId });
    const reply = await answered(click);
    const thread = lab.fake.threads().find((candidate) => reply.content.includes(candidate.id));
    expect(thread).toBeDefined();
    const [comparison] = lab.fake.channelMessages(thread?.id).filter((message) => (message.embeds as unknown[]).length > 0);
    expect(textOf(comparison)).toContain(en('compare.title'));
    expect(textOf(comparison)).toContain(firstRunId);
    for (const file of comparison.files) await expectPng(file.bytes);
  });
});

describe('photos', () => {
  let photo: Buffer;

  beforeAll(async () => {
    photo = (await photoLikeSample(readFashionMnist(DEBIAN_DATASET_DIR).test, 0)).bytes;
  });

  it('/classify downloads the photo from Discord’s CDN and answers with a run’s model', async () => {
    const interaction = await lab.fake.slashCommand({
      user: users.alex,
      name: 'classify',
      options: { run: firstRunId },
      attachments: { image: { name: 'boot.png', contentType: 'image/png', bytes: photo } },
    });
    const reply = await answered(interaction);
    expect(textOf(reply)).toContain(en('classify.title', { name: 'boot.png' }));
    expect(textOf(reply)).toMatch(sentencePattern(en, 'classify.model.run', { runId: firstRunId }));
    for (const file of reply.files) await expectPng(file.bytes);
  });

  it('/classify refuses an SVG without downloading it, ephemerally', async () => {
    const interaction = await lab.fake.slashCommand({
      user: users.mina,
      name: 'classify',
      attachments: { image: { name: 'drawing.svg', contentType: 'image/svg+xml', bytes: SVG_PICTURE } },
    });
    const reply = await answered(interaction);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(ko('image.svg'));
  });

  it('“Classify clothing” on a photo trains the class model first, saying so, then answers', async () => {
    const interaction = await lab.fake.messageCommand({
      user: users.mina,
      name: 'Classify clothing',
      targetMessage: { author: users.alex, content: 'what is this?', files: [{ name: 'boot.jpg', contentType: 'image/jpeg', bytes: photo }] },
    });
    const reply = await interaction.waitFor((i) => {
      const message = latestMessage(i);
      return message && textOf(message).includes(ko('classify.title', { name: 'boot.jpg' })) ? message : undefined;
    }, TRAINING_TIMEOUT_MS, 'the classification, after the class model was trained');
    expect(reply.versions.some((version) => sentencePattern(ko, 'classify.training_class_model').test(version.payload.content ?? ''))).toBe(true);
    expect(textOf(reply)).toMatch(sentencePattern(ko, 'classify.model.class'));
  });

  it('“Classify clothing” on a message without pictures says so, only to the user', async () => {
    const interaction = await lab.fake.messageCommand({ user: users.sam, name: 'Classify clothing', targetMessage: { author: users.alex, content: 'no picture here' } });
    const reply = await answered(interaction);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(en('classify.no_images'));
  });
});

describe('exercises', () => {
  it('/exercise number:3 explains the shape problem in Korean and records the attempt in the exercise thread', async () => {
    const interaction = await lab.fake.slashCommand({ user: users.mina, name: 'exercise', options: { number: 3 } });
    const result = await runEnded(interaction);
    expect(textOf(result)).toContain(ko('result.headline.failed'));
    expect(textOf(result)).toMatch(sentencePattern(ko, 'failure.shape-mismatch'));
    expect(textOf(result)).toContain(ko('exercise.3.after'));

    const threadName = ko('thread.exercise_name', { number: 3, title: ko('exercise.3.title') });
    const thread = await lab.fake.waitFor((fake) => fake.threads().find((candidate) => candidate.name === threadName), ANSWER_TIMEOUT_MS, `the thread ${threadName}`);
    const inThread = await lab.fake.waitFor((fake) => {
      const messages = fake.channelMessages(thread.id);
      return messages.some((message) => message.pinned) ? messages : undefined;
    }, ANSWER_TIMEOUT_MS, 'the pinned summary in the exercise thread');
    expect(inThread[0].content).toContain('mina');
  });

  it('/exercise number:1 ends by showing the ten probabilities of test image 0', async () => {
    const interaction = await lab.fake.slashCommand({ user: users.sam, name: 'exercise', options: { number: 1 } });
    const result = await runEnded(interaction);
    const text = textOf(result);
    expect(text).toContain(en('predict.title', { index: 0 }));
    expect(text).toMatch(sentencePattern(en, 'predict.top', { rank: 1 }));
    expect(result.files.some((file) => file.name.endsWith('probabilities.png'))).toBe(true);
  });
});

it('obeyed Discord’s rules throughout: acknowledged in time, no rate limit met, no mentions, nothing refused', () => {
  for (const interaction of lab.fake.interactions()) {
    expect(interaction.callbacks).toHaveLength(1);
    expect(interaction.callbacks[0].elapsedMs).toBeLessThan(3000);
  }
  expect(lab.fake.stats.rateLimited).toBe(0);
  expect(lab.fake.stats.rejections).toEqual([]);
  const sent = botMessageVersions(lab.fake);
  for (const version of sent) expect(version.payload.allowed_mentions).toEqual({ parse: [] });
});
