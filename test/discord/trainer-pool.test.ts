/**
 * The real bot on a pool of two trainers (TRAINERS=2): two students' jobs train at once, proven by
 * their first epochs shown while the trainers hold both jobs (TRAINER_HOLD_AFTER_EPOCH), and
 * /queue and /status show each trainer, busy or idle, in English and in Korean.
 */
import { answered, en, firstEpochShown, jobIdOf, ko, runEnded, sentencePattern, startLab, textOf, users, type Lab } from './lab';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ env: { TRAINERS: '2', TRAINER_HOLD_AFTER_EPOCH: '1' } });
});

afterAll(() => lab.stop());

it('trains two students’ jobs at once, and /queue and /status show both trainers busy, then idle', async () => {
  const alexTrain = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 2 } });
  const minaTrain = await lab.fake.slashCommand({ user: users.mina, name: 'train', options: { epochs: 2 } });
  const alexJob = jobIdOf(await answered(alexTrain));
  const minaJob = jobIdOf(await answered(minaTrain));
  // Both are held after their first epoch: neither can have ended, so they train side by side.
  await Promise.all([firstEpochShown(alexTrain, en), firstEpochShown(minaTrain, ko)]);

  const english = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'queue' })));
  const korean = textOf(await answered(await lab.fake.slashCommand({ user: users.mina, name: 'queue' })));
  for (const [text, t] of [
    [english, en],
    [korean, ko],
  ] as const) {
    expect(text).toMatch(sentencePattern(t, 'queue.running', { jobId: alexJob, user: 'alex' }));
    expect(text).toMatch(sentencePattern(t, 'queue.running', { jobId: minaJob, user: 'mina' }));
    expect(text).toContain(t('trainers.title'));
    for (const jobId of [alexJob, minaJob]) expect(text).toMatch(sentencePattern(t, 'trainers.busy', { backend: 'wasm', jobId, done: 0 }));
  }
  const busyStatus = textOf(await answered(await lab.fake.slashCommand({ user: users.mina, name: 'status' })));
  expect(busyStatus).toMatch(sentencePattern(ko, 'status.queue_value', { running: 2, waiting: 0 }));

  lab.app.services.trainer.release();
  const [alexEnd, minaEnd] = await Promise.all([runEnded(alexTrain), runEnded(minaTrain)]);
  expect(textOf(alexEnd)).toMatch(sentencePattern(en, 'result.title'));
  expect(textOf(minaEnd)).toMatch(sentencePattern(ko, 'result.title'));

  const idleStatus = textOf(await answered(await lab.fake.slashCommand({ user: users.alex, name: 'status' })));
  for (const number of [1, 2]) expect(idleStatus).toMatch(sentencePattern(en, 'trainers.idle', { number, backend: 'wasm', done: 1 }));
});
