/**
 * One class round on the real bot, written once and run on each kind of queue (the embedded
 * trainers, and Redis with worker processes): /train to a stored result, three students sharing
 * two trainers in /queue, a running job cancelled by its button while the waiting one starts,
 * /predict and /compare on runs trained there, and /classify of a photo with the class model.
 * Each mode's test file passes a lab with two trainers whose jobs of two epochs are held after
 * their first (TRAINER_HOLD_AFTER_EPOCH=1) until cancelled, so that they surely run side by side
 * when /queue is asked; one-epoch jobs run straight through. The same catalogue sentences are
 * asserted in both modes.
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import type { FakeInteraction } from '../support/fake-discord';
import { photoLikeSample } from '../support/photos';
import { answered, buttonIds, en, firstEpochShown, jobIdOf, ko, latestMessage, PNG_SIGNATURE, runEnded, runIdOf, sentencePattern, textOf, TRAINING_TIMEOUT_MS, until, users, type Lab } from './lab';

/** The environment of a lab for these scenarios: few examples, and two-epoch jobs held after their first. */
export const CLASS_ROUND_ENV = { TRAIN_EXAMPLES: '600', TRAINER_HOLD_AFTER_EPOCH: '1' };

async function expectPng(bytes: Buffer): Promise<void> {
  expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect((await sharp(bytes).metadata()).format).toBe('png');
}

/** The jobs the class round trains: four runs (two of them cancelled) and the class model. */
export const CLASS_ROUND_JOBS = 5;

/**
 * Registers the class round's tests on the lab that `start` gives (two trainers, CLASS_ROUND_ENV);
 * returns the lab, for a mode's own last checks (the lab stops after all the file's tests).
 */
export function classRoundScenarios(start: () => Promise<Lab>): () => Lab {
  let lab: Lab;

  beforeAll(async () => {
    lab = await start();
  });

  afterAll(async () => {
    await lab?.stop();
  });

  /** Alex's one-epoch run, trained first. */
  let firstRunId = '';
  /** Sam's run, trained once a trainer was free again. */
  let samRunId = '';

  it('/train answers on the student’s own message: queued, then a result embed with Run again, and the run and its model are stored for /history', async () => {
    const interaction = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 1 } });
    const queued = await answered(interaction);
    expect(queued.content).toMatch(sentencePattern(en, 'queue.queued', { position: 1 }));
    expect(buttonIds(queued)).toEqual([`cancel:${jobIdOf(queued)}`]);

    const result = await runEnded(interaction);
    expect(result.id).toBe(interaction.original()?.id);
    const [embed] = result.embeds as { title: string }[];
    expect(embed.title).toMatch(sentencePattern(en, 'result.title', { headline: en('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
    expect(textOf(result)).toContain(en('stop.completed', { epochs: 1 }));
    for (const file of result.files) await expectPng(file.bytes);

    firstRunId = runIdOf(result);
    const run = lab.app.services.runs.getRun(firstRunId);
    expect(run?.ownerId).toBe(users.alex.id);
    expect(run?.result.epochs).toHaveLength(1);
    expect(fs.readdirSync(run?.result.modelPath ?? '').sort()).toEqual(['model.json', 'weights.bin']);
    const history = await answered(await lab.fake.slashCommand({ user: users.alex, name: 'history' }));
    expect(textOf(history)).toContain(en('history.title', { user: 'alex' }));
    expect(textOf(history)).toContain(firstRunId);
  });

  describe('three students sharing two trainers', () => {
    let alexTrain: FakeInteraction;
    let minaTrain: FakeInteraction;
    let samTrain: FakeInteraction;
    let alexJob: number;
    let minaJob: number;
    let samJob: number;

    it('trains two students’ jobs at once, each showing its first epoch live on the student’s message, while /queue shows the third waiting at position 1', async () => {
      alexTrain = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 2 } });
      minaTrain = await lab.fake.slashCommand({ user: users.mina, name: 'train', options: { epochs: 2 } });
      alexJob = jobIdOf(await answered(alexTrain));
      minaJob = jobIdOf(await answered(minaTrain));
      // Both are held after their first epoch: neither can end, so they train side by side.
      await Promise.all([firstEpochShown(alexTrain, en), firstEpochShown(minaTrain, ko)]);
      expect(lab.app.services.queue.running().map((job) => job.id).sort()).toEqual([alexJob, minaJob].sort());

      samTrain = await lab.fake.slashCommand({ user: users.sam, name: 'train', options: { epochs: 1 } });
      const samQueued = await answered(samTrain);
      samJob = jobIdOf(samQueued);
      // Behind the two running jobs, with one trainer to wait for.
      expect(samQueued.content).toMatch(sentencePattern(en, 'queue.queued', { position: 2 }));
      expect(lab.app.services.queue.waiting().map((job) => job.id)).toEqual([samJob]);

      const english = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'queue' })));
      const korean = textOf(await answered(await lab.fake.slashCommand({ user: users.mina, name: 'queue' })));
      for (const [text, t] of [
        [english, en],
        [korean, ko],
      ] as const) {
        expect(text).toContain(t('queue.title'));
        expect(text).toMatch(sentencePattern(t, 'queue.running', { jobId: alexJob, user: 'alex' }));
        expect(text).toMatch(sentencePattern(t, 'queue.running', { jobId: minaJob, user: 'mina' }));
        expect(text).toMatch(sentencePattern(t, 'queue.waiting', { position: 1, jobId: samJob, user: 'sam' }));
      }
      const status = textOf(await answered(await lab.fake.slashCommand({ user: users.alex, name: 'status' })));
      expect(status).toMatch(sentencePattern(en, 'status.queue_value', { running: 2, waiting: 1 }));
    });

    it('the Cancel button stops a running job after its first epoch, keeps its run as cancelled, and the waiting job starts and ends with a result', async () => {
      const progress = alexTrain.original();
      if (!progress) throw new Error('no progress message');
      const click = await lab.fake.clickButton({ user: users.alex, messageId: progress.id, customId: `cancel:${alexJob}` });
      expect((await answered(click)).content).toBe(en('cancel.stopping', { jobId: alexJob }));

      const cancelled = await runEnded(alexTrain);
      expect(cancelled.id).toBe(progress.id);
      expect(textOf(cancelled)).toContain(en('result.headline.cancelled'));
      expect(textOf(cancelled)).toContain(en('stop.cancelled', { epoch: 1 }));
      expect(lab.app.services.jobs.get(alexJob)?.state).toBe('cancelled');
      const run = lab.app.services.runs.getRun(runIdOf(cancelled));
      expect(run?.result.epochs).toHaveLength(1);
      expect(run?.result.stopReason).toMatchObject({ kind: 'cancelled', epoch: 1 });

      // The freed trainer takes Sam's job, which runs to its end.
      const samResult = await runEnded(samTrain);
      expect(textOf(samResult)).toMatch(sentencePattern(en, 'result.title', { headline: en('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
      expect(lab.app.services.jobs.get(samJob)?.state).toBe('done');
      samRunId = runIdOf(samResult);
      // Mina's job was held all along, and still runs.
      expect(lab.app.services.queue.running().map((job) => job.id)).toEqual([minaJob]);
    });

    it('/cancel stops the other running job, told in Korean on its student’s message', async () => {
      const reply = await answered(await lab.fake.slashCommand({ user: users.mina, name: 'cancel', options: { job: minaJob } }));
      expect(reply.content).toBe(ko('cancel.stopping', { jobId: minaJob }));
      const cancelled = await runEnded(minaTrain);
      expect(textOf(cancelled)).toContain(ko('result.headline.cancelled'));
      expect(lab.app.services.jobs.get(minaJob)?.state).toBe('cancelled');
      await until(() => lab.app.services.queue.running().length === 0, 'the queue to have no running job');
    });
  });

  it('/predict answers with the probabilities of a test image from a run’s model trained here', async () => {
    const reply = await answered(await lab.fake.slashCommand({ user: users.alex, name: 'predict', options: { index: 0, run: firstRunId } }));
    const text = textOf(reply);
    expect(text).toContain(en('predict.title', { index: 0 }));
    expect(text).toMatch(sentencePattern(en, 'predict.top', { rank: 1 }));
    expect(text).toContain(en('predict.model', { runId: firstRunId }));
    expect(reply.files.map((file) => file.name)).toEqual([expect.stringMatching(/seen\.png$/), expect.stringMatching(/probabilities\.png$/)]);
    for (const file of reply.files) await expectPng(file.bytes);
  });

  it('/compare puts two runs side by side in a thread', async () => {
    const reply = await answered(await lab.fake.slashCommand({ user: users.sam, name: 'compare', options: { first: firstRunId, second: samRunId } }));
    const thread = lab.fake.threads().find((candidate) => reply.content.includes(candidate.id));
    if (!thread) throw new Error(`no thread named in ${reply.content}`);
    expect(reply.content).toBe(en('compare.posted', { threadId: thread.id }));
    const [comparison] = lab.fake.channelMessages(thread.id).filter((message) => (message.embeds as unknown[]).length > 0);
    const text = textOf(comparison);
    expect(text).toContain(en('compare.title'));
    expect(text).toContain(firstRunId);
    expect(text).toContain(samRunId);
    for (const file of comparison.files) await expectPng(file.bytes);
  });

  it('/classify of a photo trains the class model first, saying so, then answers with it', async () => {
    const photo = (await photoLikeSample(readFashionMnist(DEBIAN_DATASET_DIR).test, 0)).bytes;
    const interaction = await lab.fake.slashCommand({
      user: users.mina,
      name: 'classify',
      attachments: { image: { name: 'boot.png', contentType: 'image/png', bytes: photo } },
    });
    const reply = await interaction.waitFor(
      (i) => {
        const message = latestMessage(i);
        return message && textOf(message).includes(ko('classify.title', { name: 'boot.png' })) ? message : undefined;
      },
      TRAINING_TIMEOUT_MS,
      'the classification, after the class model was trained',
    );
    expect(reply.versions.some((version) => sentencePattern(ko, 'classify.training_class_model').test(version.payload.content ?? ''))).toBe(true);
    expect(textOf(reply)).toMatch(sentencePattern(ko, 'classify.answer'));
    expect(textOf(reply)).toMatch(sentencePattern(ko, 'classify.model.class'));
    // Its model's files are stored here, where later photos are answered from.
    expect(fs.readdirSync(lab.app.services.classModels.latest()?.path ?? '').sort()).toEqual(['model.json', 'weights.bin']);
  });

  return () => lab;
}
