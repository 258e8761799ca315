import { loadCommands } from '../../commands';
import { createApp, type App } from '../../src/app';
import { trainAndFollow } from '../../src/commands/training-flow';
import { defaultSpec } from '../../src/experiments/spec';
import { compareRuns, compareWithPrevious } from '../../src/commands/compare-flow';
import { recordInExerciseThread } from '../../src/commands/exercise-thread';
import { historyAnswer } from '../../src/commands/history-answer';
import { leaderboardAnswer } from '../../src/commands/leaderboard-answer';
import { parseConfig } from '../../src/config';
import { sampleRun, scoredResult } from '../store/fixtures/samples';
import { runOf } from '../support/job-ends';
import { recordingContext } from '../support/recording-context';
import { trainerTestEnv } from '../support/trainer-env';

const quiet = { info: () => undefined, error: () => undefined };
const ODD_NAME = "Ro`bert'); DROP TABLE runs;-- @everyone 민지 🎽";
let app: App;

const isPng = (data: Buffer) => data.subarray(1, 4).toString() === 'PNG';

beforeAll(() => {
  const env = trainerTestEnv();
  app = createApp(parseConfig(env), { log: quiet, trainerEnv: env });
  const { runs } = app.services;
  runs.saveRun({ ...sampleRun('r-ada-1', { ownerId: 'ada', ownerName: 'Ada', exercise: 6 }), result: scoredResult('r-ada-1', 0.86, 30) });
  runs.saveRun({ ...sampleRun('r-odd-1', { ownerId: 'odd', ownerName: ODD_NAME, exercise: 6 }), result: scoredResult('r-odd-1', 0.88, 50) });
  runs.saveRun({ ...sampleRun('r-ada-2', { ownerId: 'ada', ownerName: 'Ada', exercise: 6 }), result: scoredResult('r-ada-2', 0.88, 40) });
});
afterAll(() => app.close());

test('history lists a student’s runs newest first', () => {
  const { ctx } = recordingContext(app.services, { userId: 'ada' });
  const answer = historyAnswer(ctx, { id: 'ada', name: 'Ada' });
  expect((answer.data as { runs: { runId: string }[] }).runs.map((run) => run.runId)).toEqual(['r-ada-2', 'r-ada-1']);
  expect(answer.embeds?.[0].description).toMatch(/r-ada-2[\s\S]*r-ada-1/);
});

test('the leaderboard ranks best accuracy per student, ties broken by shorter training, with a chart', async () => {
  const { ctx } = recordingContext(app.services);
  const answer = await leaderboardAnswer(ctx, 6);
  const ranking = (answer.data as { ranking: { user: string; runId: string }[] }).ranking;
  expect(ranking.map((entry) => entry.runId)).toEqual(['r-ada-2', 'r-odd-1']);
  expect(answer.embeds?.[0].description).toContain(ODD_NAME);
  expect(isPng(answer.files![0].data)).toBe(true);
});

test('/compare posts a table of both runs and overlay charts in a thread, showing odd names verbatim', async () => {
  const { ctx, answers } = recordingContext(app.services, { userId: 'ada' });
  const runs = ['r-ada-1', 'r-odd-1'].map((id) => app.services.runs.getRun(id)!);
  await compareRuns(ctx, runs);
  const posted = answers.find((recorded) => recorded.kind === 'thread')!;
  expect(posted.thread).toBe('Exercise 6: Many epochs and overfitting');
  const table = posted.answer.embeds![0].description!;
  expect(table).toMatch(/^```\n[\s\S]*r-ada-1[\s\S]*r-odd-1[\s\S]*```$/);
  // The back-tick of the name must not close the code block early; the rest is verbatim.
  expect(table.match(/```/g)).toHaveLength(2);
  expect(table).toContain("Roˋbert'); DROP TABLE runs;-- @everyone 민지 🎽");
  expect(posted.answer.files!.map((file) => isPng(file.data))).toEqual([true, true]);
  expect(answers.at(-1)).toMatchObject({ kind: 'reply', answer: { content: expect.stringContaining('<#thread-') } });
});

test('the Compare button compares a run with its owner’s previous run, and says so when there is none', async () => {
  const { ctx, answers } = recordingContext(app.services, { userId: 'ada' });
  await compareWithPrevious(ctx, 'r-ada-2');
  expect((answers.at(-1)!.answer.data as { compared: { runId: string }[] }).compared.map((run) => run.runId)).toEqual(['r-ada-1', 'r-ada-2']);
  await compareWithPrevious(ctx, 'r-ada-1');
  expect(answers.at(-1)).toMatchObject({ kind: 'reply', answer: { ephemeral: true, content: expect.stringContaining('nothing earlier') } });
});

test('an exercise thread collects every run and keeps one pinned summary up to date', async () => {
  const { ctx, answers } = recordingContext(app.services);
  await recordInExerciseThread(ctx, app.services.runs.getRun('r-ada-1')!);
  const first = app.services.threads.get({ guildId: 'g1', channelId: 'c1', exercise: 6 })!;
  expect(first.summaryMessageId).not.toBeNull();
  await recordInExerciseThread(ctx, app.services.runs.getRun('r-odd-1')!);
  const second = app.services.threads.get({ guildId: 'g1', channelId: 'c1', exercise: 6 })!;
  expect(second.threadId).toBe(first.threadId);
  expect(second.summaryMessageId).toBe(first.summaryMessageId);
  const posts = answers.filter((recorded) => recorded.kind === 'thread');
  expect(posts.map((post) => post.answer.content ?? post.answer.embeds?.[0].title)).toEqual([
    expect.stringContaining('r-ada-1'),
    'Exercise 6: everyone’s runs',
    expect.stringContaining('r-odd-1'),
    'Exercise 6: everyone’s runs',
  ]);
  expect(posts[3].answer.embeds![0].description).toContain('3 runs so far');
});

test('/export gives teachers the server’s runs as CSV and refuses students', async () => {
  const exportCommand = loadCommands().find((command) => command.name === 'export')!;
  if (exportCommand.kind !== 'slash') throw new Error('export is a slash command');
  const student = recordingContext(app.services, { isTeacher: false });
  await exportCommand.execute(student.ctx, {});
  expect(student.last()).toMatchObject({ ephemeral: true, data: { error: { code: 'teacher-only' } } });
  const teacher = recordingContext(app.services, { isTeacher: true });
  await exportCommand.execute(teacher.ctx, {});
  const csv = teacher.last()!.files![0].data.toString('utf8');
  expect(teacher.last()!.data).toEqual({ runs: 3 });
  expect(csv.split('\r\n')[0]).toMatch(/run_id|runId/i);
  expect(csv).toContain('r-odd-1');
});

test('/train offers a finished run with identical settings and seed at once, beside the fresh run', async () => {
  const seeded = { seed: 5, epochs: 1, hiddenUnits: 16 };
  app.services.runs.saveRun({ ...sampleRun('r-same', { ownerId: 'ada', ownerName: 'Ada' }, seeded), result: scoredResult('r-same', 0.8, 9) });
  const { ctx, answers } = recordingContext(app.services, { userId: 'newcomer' });
  const end = await trainAndFollow(ctx, defaultSpec(seeded), null);
  const queued = answers.find((recorded) => recorded.kind === 'reply')!.answer;
  expect(queued.content).toContain('`r-same` by Ada');
  expect(queued.buttons?.map((button) => button.customId)).toContain('show:r-same');
  expect(runOf((await end)!).result.stopReason.kind).toBe('completed');
});
