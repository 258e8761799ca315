import { confusionMatrixChart } from '../charts/confusion-matrix';
import { perClassAccuracyChart } from '../charts/per-class-accuracy';
import { trainingCurvesChart } from '../charts/training-curves';
import type { StoredRun } from '../store/runs';
import { classNames } from './class-names';
import type { AnswerFile, CommandContext } from './command';
import { describeSettings } from './settings-description';

/** Charts of a run: curves always (when an epoch ran), confusion matrix and per-class accuracy after a test. */
export async function runCharts(ctx: CommandContext, run: StoredRun): Promise<AnswerFile[]> {
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
