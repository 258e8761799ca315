import { leaderboardChart, leaderboardSize } from '../charts/leaderboard';
import { exerciseNumberSchema, type ExerciseNumber } from '../experiments/exercises';
import type { Translate } from '../i18n/translate';
import type { ExerciseThread } from '../store/exercise-threads';
import type { StoredRun } from '../store/runs';
import type { Answer, CommandContext } from './command';
import { formatAccuracy } from './format';
import { exerciseKey } from './message-keys';
import { describeSettings } from './settings-description';
import { describeStop } from './stop-description';

export function exerciseThreadName(t: Translate, exercise: ExerciseNumber): string {
  return t('thread.exercise_name', { number: exercise, title: t(exerciseKey(exercise, 'title')) });
}

function runResultText(t: Translate, run: StoredRun): string {
  return run.result.evaluation
    ? t('result.headline.accuracy', { accuracy: formatAccuracy(run.result.evaluation.testAccuracy) })
    : describeStop(t, run.spec, run.result.stopReason);
}

/** The pinned message of an exercise thread: how many runs this term, the best, and everyone's best as a chart. */
async function summaryAnswer(ctx: CommandContext, exercise: number): Promise<Answer> {
  const { t } = ctx;
  const count = ctx.services.runs.runsOfExercise(ctx.guildId, exercise).length;
  const ranking = ctx.services.runs.leaderboard(ctx.guildId, exercise);
  const best = ranking[0]?.run;
  const lines = best
    ? [t('thread.summary', { count, best: formatAccuracy(best.result.evaluation?.testAccuracy ?? 0), user: best.ownerName, runId: best.runId })]
    : [t('leaderboard.empty')];
  if (ranking.length === 0) return { embeds: [{ title: t('thread.summary_title', { number: exercise }), description: lines.join('\n') }] };
  const points = ranking.map(({ run }) => ({ label: run.ownerName, testAccuracy: run.result.evaluation?.testAccuracy ?? 0 }));
  const chart = leaderboardChart(points, { title: t('thread.summary_title', { number: exercise }), accuracyAxis: t('chart.percent_axis', { name: t('chart.test_accuracy') }) });
  const file = { name: `exercise-${exercise}-results.png`, data: await ctx.services.charts.render(chart, leaderboardSize(points.length)) };
  return { embeds: [{ title: t('thread.summary_title', { number: exercise }), description: lines.join('\n'), image: file.name }], files: [file] };
}

/**
 * Posts a run's one-line summary in its exercise's thread (created on first use) and keeps the
 * thread's pinned summary up to date, so the class sees every attempt in one place.
 */
export async function recordInExerciseThread(ctx: CommandContext, run: StoredRun): Promise<void> {
  if (run.exercise === null || !ctx.guildId || !ctx.channelId) return;
  const key = { guildId: ctx.guildId, channelId: ctx.channelId, exercise: run.exercise };
  const { threads } = ctx.services;
  const known = threads.get(key);
  const line = ctx.t('thread.run_line', { user: run.ownerName, runId: run.runId, settings: describeSettings(ctx.t, run.spec), result: runResultText(ctx.t, run) });
  const posted = await ctx.postInThread(exerciseThreadName(ctx.t, run.exercise), { content: line }, { threadId: known?.threadId ?? null });
  const sameThread = known?.threadId === posted.threadId;
  if (!sameThread) threads.saveThread(key, posted.threadId);
  const summaryId = sameThread ? (known?.summaryMessageId ?? null) : null;
  const summary = await ctx.postInThread(exerciseThreadName(ctx.t, run.exercise), await summaryAnswer(ctx, run.exercise), {
    threadId: posted.threadId,
    editMessageId: summaryId,
    pin: summaryId === null,
  });
  if (summary.messageId !== summaryId) threads.setSummaryMessage(key, summary.messageId);
}

/**
 * Brings the pinned summaries of these exercise threads up to date at once, when the runs they
 * count changed without a new run (a teacher removed or restored one, or began a new term).
 */
export async function refreshSummaries(ctx: CommandContext, threads: readonly ExerciseThread[]): Promise<void> {
  for (const thread of threads) {
    const exercise = exerciseNumberSchema.safeParse(thread.exercise);
    if (!exercise.success || thread.summaryMessageId === null) continue;
    const name = exerciseThreadName(ctx.t, exercise.data);
    await ctx.postInThread(name, await summaryAnswer(ctx, exercise.data), { threadId: thread.threadId, editMessageId: thread.summaryMessageId });
  }
}
