/**
 * The bot on a full disk, through the fake Discord, with DATA_DIR on a small disk (a real tmpfs
 * where the machine allows it, else the model writer failing at its boundary): a run whose model
 * cannot be saved fails with a clear sentence in its student's language and a log line with the
 * cause, the database stays whole, and Run again works once space returns.
 */
import path from 'node:path';
import { openDatabase } from '../../src/store/database';
import { mountSmallDisk } from '../support/small-disk';
import type { FakeInteraction, RecordedMessage } from '../support/fake-discord';
import { answered, buttonIds, en, ko, latestMessage, runEnded, sentencePattern, startLab, textOf, TRAINING_TIMEOUT_MS, users, type Lab } from './lab';

const disk = mountSmallDisk(8 * 1024 * 1024);
/** Room for SQLite's small writes, not for a model (784x512 weights: 1.6 MB). */
const LEFT_FREE = 256 * 1024;
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ dataDir: disk.dir, env: disk.trainerEnv });
});

afterAll(async () => {
  await lab?.stop();
  disk.remove();
});

/** The interaction's message once the job's failure (a sentence and a Run again button) is shown. */
function failureShown(interaction: FakeInteraction): Promise<RecordedMessage> {
  return interaction.waitFor(
    (i) => {
      const message = latestMessage(i);
      return message && buttonIds(message).some((id) => id.startsWith('rerun:')) ? message : undefined;
    },
    TRAINING_TIMEOUT_MS,
    'the failure of the job, with a Run again button',
  );
}

it(`fails a run whose model cannot be saved with a clear sentence, in English and in Korean (${disk.kind})`, async () => {
  disk.fill(LEFT_FREE);
  const alex = await lab.fake.slashCommand({ user: users.alex, name: 'train', options: { epochs: 1 } });
  await answered(alex);
  const english = await failureShown(alex);
  expect(english.content).toBe(en('failure.disk-full'));

  const mina = await lab.fake.slashCommand({ user: users.mina, name: 'train', options: { epochs: 1 } });
  await answered(mina);
  const korean = await failureShown(mina);
  expect(korean.content).toBe(ko('failure.disk-full'));

  expect(lab.log).toEqual(expect.arrayContaining([expect.stringMatching(/job \d+ failed \(disk-full\)[\s\S]*ENOSPC/)]));
  const jobs = [english, korean].map((message) => lab.app.services.jobs.get(Number(buttonIds(message).find((id) => id.startsWith('rerun:'))!.split(':')[1])));
  for (const job of jobs) expect(job).toMatchObject({ state: 'failed', failure: { code: 'disk-full' } });
});

it('keeps the database whole, and runs again once space returns', async () => {
  const check = openDatabase(path.join(disk.dir, 'lab.db'));
  try {
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    check.close();
  }
  disk.empty();
  const failed = lab.fake.channelMessages().find((message) => buttonIds(message).some((id) => id.startsWith('rerun:')) && message.content === en('failure.disk-full'));
  if (!failed) throw new Error('no failed run to run again');
  const again = await lab.fake.clickButton({ user: users.alex, messageId: failed.id, customId: buttonIds(failed).find((id) => id.startsWith('rerun:'))! });
  const result = await runEnded(again);
  expect(textOf(result)).toMatch(sentencePattern(en, 'result.title', { headline: en('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
});
