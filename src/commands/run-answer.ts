import type { RunResult } from '../experiments/results';
import type { Translate } from '../i18n/translate';
import type { StoredRun } from '../store/runs';
import type { Answer, CommandContext } from './command';
import { formatAccuracy, formatDuration, formatLoss, formatSeconds } from './format';
import { runCharts } from './run-charts';
import { describeSettings } from './settings-description';
import { describeFailure, describeStop } from './stop-description';

const COLORS = { good: 0x2f9e44, failed: 0xe03131, cancelled: 0x868e96 };

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
