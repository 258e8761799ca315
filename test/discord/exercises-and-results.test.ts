/**
 * Typed as students would, in English and Korean: every exercise of the course from slash
 * command to its explanation, then the class results built from those runs (/history,
 * /compare in a thread, /leaderboard), all through the real bot, trainer and fake Discord.
 */
import type { MessageKey, Translate } from '../../src/i18n/translate';
import { ANSWER_TIMEOUT_MS, answered, buttonIds, en, ko, PNG_SIGNATURE, runEnded, sentencePattern, startLab, textOf, users, type Lab } from './lab';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterAll(async () => {
  await lab?.stop();
});

const runIds: Record<string, string[]> = { alex: [], mina: [] };

/** Each exercise: who types it (alex in English, mina in Korean) and what its answer must say. */
const EXERCISES: { number: number; user: 'alex' | 'mina'; says: MessageKey; variants: number }[] = [
  { number: 2, user: 'alex', says: 'exercise.2.after', variants: 2 },
  { number: 4, user: 'mina', says: 'failure.label-out-of-range', variants: 0 },
  { number: 5, user: 'alex', says: 'exercise.5.after', variants: 0 },
  { number: 6, user: 'mina', says: 'exercise.6.after', variants: 2 },
  { number: 7, user: 'alex', says: 'exercise.7.after', variants: 1 },
  { number: 8, user: 'mina', says: 'exercise.8.after', variants: 2 },
];

it.each(EXERCISES)('/exercise number:$number answers with what it teaches ($user)', async ({ number, user, says, variants }) => {
  const t: Translate = user === 'alex' ? en : ko;
  const interaction = await lab.fake.slashCommand({ user: users[user], name: 'exercise', options: { number } });
  const queued = await answered(interaction);
  expect(queued.content).toContain(t(`exercise.${number}.title` as MessageKey));
  const result = await runEnded(interaction);
  expect(textOf(result)).toMatch(sentencePattern(t, 'result.title_exercise', { exercise: number }));
  expect(textOf(result)).toMatch(sentencePattern(t, says));
  expect(buttonIds(result).filter((id) => id.startsWith(`variant:${number}:`))).toHaveLength(variants);
  runIds[user].push(buttonIds(result).find((id) => id.startsWith('again:'))!.split(':')[1]);
});

it('/history lists a student’s runs, newest first', async () => {
  const interaction = await lab.fake.slashCommand({ user: users.alex, name: 'history' });
  const text = textOf(await answered(interaction));
  const [first, second, third] = [...runIds.alex].reverse();
  expect(text.indexOf(first)).toBeLessThan(text.indexOf(second));
  expect(text.indexOf(second)).toBeLessThan(text.indexOf(third));
});

it('/compare opens a thread with the student’s last two runs, a table and overlay charts', async () => {
  const interaction = await lab.fake.slashCommand({ user: users.alex, name: 'compare' });
  const reply = await answered(interaction);
  const thread = await lab.fake.waitFor((fake) => fake.threads().find((candidate) => reply.content.includes(candidate.id)), ANSWER_TIMEOUT_MS, 'the comparison thread');
  const [posted] = lab.fake.channelMessages(thread.id);
  const table = textOf(posted);
  for (const runId of runIds.alex.slice(-2)) expect(table).toContain(runId);
  expect(posted.files.map((file) => file.bytes.subarray(0, 8))).toEqual([PNG_SIGNATURE, PNG_SIGNATURE]);
});

it('/leaderboard ranks the students by their best test accuracy', async () => {
  const interaction = await lab.fake.slashCommand({ user: users.mina, name: 'leaderboard' });
  const board = await answered(interaction);
  const expected = lab.app.services.runs.leaderboard(lab.fake.guildId).map((entry) => entry.run.runId);
  expect(expected.length).toBe(2);
  const text = textOf(board);
  expect(text.indexOf(expected[0])).toBeLessThan(text.indexOf(expected[1]));
  const accuracies = expected.map((runId) => lab.app.services.runs.getRun(runId)!.result.evaluation!.testAccuracy);
  expect(accuracies[0]).toBeGreaterThanOrEqual(accuracies[1]);
  expect(board.files[0].bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
});
