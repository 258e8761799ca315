import { confusionMatrixChart } from '../charts/confusion-matrix';
import { perClassAccuracyChart } from '../charts/per-class-accuracy';
import { trainingCurvesChart } from '../charts/training-curves';
import type { RunFailure, RunResult, StopReason } from '../experiments/results';
import { learningRateOf, type ExperimentSpec } from '../experiments/spec';
import type { MessageKey, Translate } from '../i18n/translate';
import type { StoredRun } from '../store/runs';
import type { Answer, AnswerFile, CommandContext } from './command';
import { formatAccuracy, formatDuration, formatLoss, formatSeconds } from './format';

const COLORS = { good: 0x2f9e44, failed: 0xe03131, cancelled: 0x868e96 };

export function classNames(t: Translate): string[] {
  return Array.from({ length: 10 }, (_, index) => t(`class.${index}` as MessageKey));
}

/** The model in one line: "Flatten → Dense 512 relu → Dense 10 softmax · adam lr 0.001 · batch 32 · inputs 0-1". */
export function describeSettings(t: Translate, spec: ExperimentSpec): string {
  return t('result.settings', {
    flatten: spec.flatten ? t('result.settings.flatten') : t('result.settings.no_flatten'),
    units: spec.hiddenUnits,
    extra: spec.extraLayerUnits === null ? '' : t('result.settings.extra', { units: spec.extraLayerUnits }),
    outputs: spec.outputUnits,
    optimizer: spec.optimizer,
    learningRate: learningRateOf(spec),
    batchSize: spec.batchSize,
    normalize: spec.normalize ? t('result.settings.normalized') : t('result.settings.raw'),
    validation: spec.validationSplit > 0 ? t('result.settings.validation', { split: spec.validationSplit }) : '',
    seed: spec.seed === null ? '' : t('result.settings.seed', { seed: spec.seed }),
  });
}

/** Why a run stopped, in a sentence. */
export function describeStop(t: Translate, spec: ExperimentSpec, stop: StopReason): string {
  switch (stop.kind) {
    case 'completed':
      return t('stop.completed', { epochs: spec.epochs });
    case 'target-reached':
      return t('stop.target_reached', { epoch: stop.epoch, accuracy: formatAccuracy(stop.accuracy) });
    case 'early-stopped':
      return t(spec.restoreBestWeights ? 'stop.early_stopped' : 'stop.early_stopped_no_restore', { epoch: stop.epoch, bestEpoch: stop.bestEpoch });
    case 'cancelled':
      return t('stop.cancelled', { epoch: stop.epoch });
    case 'failed':
      return t('stop.failed');
  }
}

/** The explanation of a failure a student can act on. */
export function describeFailure(t: Translate, failure: RunFailure): string {
  return t(`failure.${failure.code}` as MessageKey, failure.params);
}

function headline(t: Translate, result: RunResult): string {
  if (result.stopReason.kind === 'failed') return t('result.headline.failed');
  if (result.stopReason.kind === 'cancelled') return t('result.headline.cancelled');
  return result.evaluation ? t('result.headline.accuracy', { accuracy: formatAccuracy(result.evaluation.testAccuracy) }) : '';
}

/** The machine-readable form of a run, printed by the console's --json mode. */
export function runData(run: StoredRun) {
  const { result } = run;
  return {
    runId: result.runId,
    exercise: run.exercise,
    stopReason: result.stopReason,
    epochs: result.epochs,
    testAccuracy: result.evaluation?.testAccuracy ?? null,
    testLoss: result.evaluation?.testLoss ?? null,
    perClassAccuracy: result.evaluation?.perClassAccuracy ?? null,
    backend: result.backend,
    seconds: result.seconds,
    secondsPerEpoch: result.secondsPerEpoch,
    trainExamples: result.trainExamples,
    spec: run.spec,
  };
}

/** Charts of a run: curves always (when an epoch ran), confusion matrix and per-class accuracy after a test. */
async function runCharts(ctx: CommandContext, run: StoredRun): Promise<AnswerFile[]> {
  const { t } = ctx;
  const { result } = run;
  const subtitle = `${result.runId} · ${describeSettings(t, run.spec)}`;
  const files: AnswerFile[] = [];
  if (result.epochs.length > 0) {
    const mark = result.stopReason.kind === 'early-stopped' ? { epoch: result.stopReason.bestEpoch, label: t('chart.marker') } : undefined;
    const curves = trainingCurvesChart(
      result.epochs,
      {
        title: t('chart.curves.title'),
        subtitle,
        epochAxis: t('chart.epoch'),
        lossAxis: t('chart.loss'),
        accuracyAxis: t('chart.percent_axis', { name: t('chart.accuracy') }),
        trainingLoss: t('chart.train_loss'),
        validationLoss: t('chart.val_loss'),
        trainingAccuracy: t('chart.train_accuracy'),
        validationAccuracy: t('chart.val_accuracy'),
      },
      mark,
    );
    files.push({ name: `${result.runId}-curves.png`, data: await ctx.services.charts.render(curves) });
  }
  if (result.evaluation) {
    const names = classNames(t);
    const confusion = confusionMatrixChart(result.evaluation.confusionMatrix, names, {
      title: t('chart.confusion.title'),
      subtitle,
      predictedAxis: t('chart.confusion.predicted'),
      trueAxis: t('chart.confusion.true'),
    });
    const perClass = perClassAccuracyChart(result.evaluation.perClassAccuracy, names, {
      title: t('chart.per_class.title'),
      subtitle,
      accuracyAxis: t('chart.percent_axis', { name: t('chart.accuracy') }),
    });
    files.push({ name: `${result.runId}-confusion.png`, data: await ctx.services.charts.render(confusion, { width: 800, height: 720 }) });
    files.push({ name: `${result.runId}-per-class.png`, data: await ctx.services.charts.render(perClass) });
  }
  return files;
}

/** The result message of a run: metric summary, charts, and buttons to run again or compare. */
export async function runAnswer(ctx: CommandContext, run: StoredRun, extraText?: string): Promise<Answer> {
  const { t } = ctx;
  const { result, spec } = run;
  const stop = result.stopReason;
  const lastEpoch = result.epochs.at(-1);
  const fields = [
    ...(result.evaluation ? [{ name: t('result.field.test_accuracy'), value: formatAccuracy(result.evaluation.testAccuracy), inline: true }] : []),
    ...(lastEpoch ? [{ name: t('result.field.final_loss'), value: formatLoss(lastEpoch.loss), inline: true }] : []),
    { name: t('result.field.epochs'), value: t('result.epochs_value', { ran: result.epochs.length, planned: spec.epochs }), inline: true },
    { name: t('result.field.stop'), value: describeStop(t, spec, stop) },
    ...(result.secondsPerEpoch !== null ? [{ name: t('result.field.seconds_per_epoch'), value: formatSeconds(result.secondsPerEpoch), inline: true }] : []),
    { name: t('result.field.total_time'), value: formatDuration(result.seconds), inline: true },
    { name: t('result.field.backend'), value: result.backend, inline: true },
    { name: t('result.field.settings'), value: describeSettings(t, spec) },
  ];
  const description = [stop.kind === 'failed' ? describeFailure(t, stop.failure) : null, extraText ?? null].filter(Boolean).join('\n\n');
  const files = await runCharts(ctx, run);
  const title = run.exercise === null
    ? t('result.title', { runId: result.runId, headline: headline(t, result) })
    : t('result.title_exercise', { exercise: run.exercise, runId: result.runId, headline: headline(t, result) });
  return {
    embeds: [
      {
        title,
        description: description || undefined,
        fields,
        image: files[0]?.name,
        color: stop.kind === 'failed' ? COLORS.failed : stop.kind === 'cancelled' ? COLORS.cancelled : COLORS.good,
      },
    ],
    files,
    buttons: [
      { customId: `again:${result.runId}`, label: t('button.run_again'), style: 'primary' },
      { customId: `compare:${result.runId}`, label: t('button.compare'), style: 'secondary' },
    ],
    data: runData(run),
  };
}
