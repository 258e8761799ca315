import { comparisonChart, type ComparisonMetric } from '../charts/comparison';
import { learningRateOf } from '../experiments/spec';
import type { Translate } from '../i18n/translate';
import type { StoredRun } from '../store/runs';
import type { Answer, AnswerFile, CommandContext } from './command';
import { exerciseThreadName } from './exercise-thread';
import { formatAccuracy, formatLoss, formatSeconds } from './format';
import { comparedStopKey } from './message-keys';
import { refusal, refusalAnswer } from './refusal';
import { findRun } from './run-lookup';

type Row = [label: string, value: (run: StoredRun) => string];

function comparisonRows(t: Translate): Row[] {
  const yesNo = (value: boolean) => (value ? '✓' : '✗');
  return [
    [t('compare.row.owner'), (run) => run.ownerName],
    [t('compare.row.exercise'), (run) => (run.exercise === null ? '-' : String(run.exercise))],
    [t('compare.row.epochs'), (run) => `${run.result.epochs.length}/${run.spec.epochs}`],
    [t('compare.row.units'), (run) => String(run.spec.hiddenUnits)],
    [t('compare.row.extra'), (run) => (run.spec.extraLayerUnits === null ? '-' : String(run.spec.extraLayerUnits))],
    [t('compare.row.flatten'), (run) => yesNo(run.spec.flatten)],
    [t('compare.row.outputs'), (run) => String(run.spec.outputUnits)],
    [t('compare.row.normalize'), (run) => yesNo(run.spec.normalize)],
    [t('compare.row.batch'), (run) => String(run.spec.batchSize)],
    [t('compare.row.optimizer'), (run) => run.spec.optimizer],
    [t('compare.row.learning_rate'), (run) => String(learningRateOf(run.spec))],
    [t('compare.row.validation'), (run) => String(run.spec.validationSplit)],
    [t('compare.row.stop'), (run) => {
      const stop = run.result.stopReason;
      return t(comparedStopKey(stop.kind), { epoch: 'epoch' in stop ? stop.epoch : '' });
    }],
    [t('compare.row.test_accuracy'), (run) => (run.result.evaluation ? formatAccuracy(run.result.evaluation.testAccuracy) : '-')],
    [t('compare.row.final_loss'), (run) => { const last = run.result.epochs.at(-1); return last ? formatLoss(last.loss) : '-'; }],
    [t('compare.row.val_loss'), (run) => { const last = run.result.epochs.at(-1); return last?.valLoss != null ? formatLoss(last.valLoss) : '-'; }],
    [t('compare.row.seconds'), (run) => formatSeconds(run.result.seconds)],
  ];
}

/** A monospace table, settings down the side and one column per run. */
export function comparisonTable(t: Translate, runs: StoredRun[]): string {
  // A back-tick in a student's name would end the code block early.
  const cell = (text: string) => text.replace(/`/g, 'ˋ');
  const header = ['', ...runs.map((run) => run.runId)];
  const body = comparisonRows(t).map(([label, value]) => [label, ...runs.map(value)]);
  const all = [header, ...body].map((row) => row.map(cell));
  const widths = header.map((_, column) => Math.max(...all.map((row) => [...row[column]].length)));
  const line = (row: string[]) => row.map((text, column) => text + ' '.repeat(widths[column] - [...text].length)).join(' │ ');
  return ['```', ...all.map(line), '```'].join('\n');
}

async function overlayChart(ctx: CommandContext, runs: StoredRun[], metric: ComparisonMetric): Promise<AnswerFile> {
  const { t } = ctx;
  const chart = comparisonChart(
    runs.map((run) => ({ label: `${run.runId} · ${run.ownerName}`, epochs: run.result.epochs })),
    {
      title: t(metric === 'loss' ? 'chart.comparison.loss_title' : 'chart.comparison.accuracy_title'),
      epochAxis: t('chart.epoch'),
      valueAxis: metric === 'loss' ? t('chart.loss') : t('chart.percent_axis', { name: t('chart.accuracy') }),
      training: t('chart.training'),
      validation: t('chart.validation'),
    },
    metric,
  );
  return { name: `compare-${metric}.png`, data: await ctx.services.charts.render(chart) };
}

/** The side-by-side table and overlay charts of several runs. */
export async function comparisonAnswer(ctx: CommandContext, runs: StoredRun[]): Promise<Answer> {
  const files = [await overlayChart(ctx, runs, 'loss'), await overlayChart(ctx, runs, 'accuracy')];
  return {
    embeds: [{ title: ctx.t('compare.title'), description: comparisonTable(ctx.t, runs), image: files[0].name }],
    files,
    data: { compared: runs.map((run) => ({ runId: run.runId, testAccuracy: run.result.evaluation?.testAccuracy ?? null })) },
  };
}

/** Posts the comparison in a thread (the exercise's when all runs share one) and says where. */
export async function compareRuns(ctx: CommandContext, runs: StoredRun[]): Promise<void> {
  if (runs.length < 2) {
    await ctx.reply(refusalAnswer(ctx.t, refusal('need-two-runs', 'compare.need_two')));
    return;
  }
  const answer = await comparisonAnswer(ctx, runs);
  const exercise = runs.every((run) => run.exercise !== null && run.exercise === runs[0].exercise) ? runs[0].exercise : null;
  const thread = exercise !== null && ctx.guildId && ctx.channelId
    ? ctx.services.threads.get({ guildId: ctx.guildId, channelId: ctx.channelId, exercise })
    : undefined;
  const name = exercise !== null ? exerciseThreadName(ctx.t, exercise) : ctx.t('compare.thread_name', { runs: runs.map((run) => run.runId).join(' vs ') });
  const post = await ctx.postInThread(name.slice(0, 100), answer, { threadId: thread?.threadId ?? null });
  await ctx.reply({ content: ctx.t('compare.posted', { threadId: post.threadId }), data: { ...(answer.data as object), threadId: post.threadId } });
}

/** The Compare button of a result: that run beside its owner's previous run. */
export async function compareWithPrevious(ctx: CommandContext, runId: string): Promise<void> {
  const run = findRun(ctx, runId);
  if (!run.ok) return ctx.reply(refusalAnswer(ctx.t, run.refusal));
  const previous = ctx.services.runs.previousRun(run.value.guildId, run.value.ownerId, run.value.runId);
  if (!previous) return ctx.reply(refusalAnswer(ctx.t, refusal('no-previous-run', 'compare.no_previous', { runId })));
  await compareRuns(ctx, [previous, run.value]);
}
