import { createApp, type App } from '../../src/app';
import { setRunRemoved } from '../../src/commands/teacher/run-removal';
import { startTerm } from '../../src/commands/teacher/new-term';
import { parseConfig } from '../../src/config';
import { translator } from '../../src/i18n/translate';
import { sampleRun, scoredResult } from '../store/fixtures/samples';
import { recordingContext } from '../support/recording-context';
import { trainerTestEnv } from '../support/trainer-env';

const en = translator('en');
const quiet = { info: () => undefined, error: () => undefined };
const thread = { guildId: 'g1', channelId: 'c1', exercise: 6 };
let app: App;

beforeEach(() => {
  const env = trainerTestEnv();
  app = createApp(parseConfig(env), { log: quiet, trainerEnv: env });
  const { runs, threads } = app.services;
  runs.saveRun(sampleRun('ada-6', { ownerId: 'ada', ownerName: 'Ada', exercise: 6, result: scoredResult('ada-6', 0.9, 30) }));
  runs.saveRun(sampleRun('bo-6', { ownerId: 'bo', ownerName: 'Bo', exercise: 6, result: scoredResult('bo-6', 0.8, 30) }));
  threads.saveThread(thread, 'thread-6');
  threads.setSummaryMessage(thread, 'summary-6');
});
afterEach(() => app.close());

const teacherContext = () => recordingContext(app.services, { userId: 'kim', isTeacher: true });
const threadPosts = (answers: ReturnType<typeof teacherContext>['answers']) => answers.filter((recorded) => recorded.kind === 'thread');

test('removing a run brings its exercise thread’s pinned summary up to date at once, without it', async () => {
  const { ctx, answers } = teacherContext();
  const answer = await setRunRemoved(ctx, 'ada-6', true);
  expect(answer.content).toBe(en('teacher.removed', { runId: 'ada-6', user: 'Ada' }));
  const [summary] = threadPosts(answers);
  expect(summary.post).toEqual({ threadId: 'thread-6', editMessageId: 'summary-6' });
  expect(summary.answer.embeds?.[0].description).toBe(en('thread.summary', { count: 1, best: '0.8000', user: 'Bo', runId: 'bo-6' }));

  await setRunRemoved(ctx, 'ada-6', false);
  expect(threadPosts(answers)[1].answer.embeds?.[0].description).toBe(en('thread.summary', { count: 2, best: '0.9000', user: 'Ada', runId: 'ada-6' }));
});

test('a new term empties every exercise summary of the server at once, and logs who began it', async () => {
  const { ctx, answers } = teacherContext();
  const answer = await startTerm(ctx, '  Spring 2027  ');
  expect(answer.content).toBe(en('teacher.new_term', { teacher: 'student kim', name: 'Spring 2027' }));
  const [summary] = threadPosts(answers);
  expect(summary.post).toEqual({ threadId: 'thread-6', editMessageId: 'summary-6' });
  expect(summary.answer.embeds?.[0].description).toBe(en('leaderboard.empty'));
  expect(summary.answer.files).toBeUndefined();
  expect(app.services.teacherLog.latest('g1', 20)).toMatchObject([{ action: 'new-term', details: { name: 'Spring 2027' }, actorId: 'kim' }]);
});

test('a run of another server, or none, cannot be removed here; nothing changes', async () => {
  app.services.runs.saveRun(sampleRun('elsewhere', { guildId: 'g2' }));
  const { ctx, answers } = teacherContext();
  expect((await setRunRemoved(ctx, 'elsewhere', true)).content).toBe(en('error.no_run'));
  expect((await setRunRemoved(ctx, 'no-such-run', true)).content).toBe(en('error.no_run'));
  expect(app.services.runs.getRun('elsewhere')?.removedAt).toBeNull();
  expect(threadPosts(answers)).toEqual([]);
  expect(app.services.teacherLog.latest('g1', 20)).toEqual([]);
});
