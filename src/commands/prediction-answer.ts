import { probabilityChart } from '../charts/probability';
import { CLASS_NAMES } from '../experiments/results';
import { enlargedPng } from '../images/enlarge';
import type { Prediction } from '../jobs/trainer-client';
import type { StoredRun } from '../store/runs';
import type { Answer, CommandContext } from './command';
import { formatProbability } from './format';
import { refusal, refusalAnswer } from './refusal';
import { classNames } from './class-names';

/** The classes ranked by probability, most probable first. */
export function rankClasses(probabilities: number[], names: string[]): { classIndex: number; name: string; probability: number }[] {
  return probabilities
    .map((probability, classIndex) => ({ classIndex, name: names[classIndex] ?? `#${classIndex}`, probability }))
    .sort((a, b) => b.probability - a.probability);
}

/**
 * Shows a prediction: the answer, the top three, a bar chart of all probabilities and the 28x28
 * image the model saw, enlarged.
 */
export async function describePrediction(ctx: CommandContext, prediction: Prediction, title: string, lines: string[], fileStem: string): Promise<Answer> {
  const { t } = ctx;
  const names = classNames(t);
  const ranked = rankClasses(prediction.probabilities, names);
  const top3 = ranked.slice(0, 3).map((entry, rank) => t('predict.top', { rank: rank + 1, class: entry.name, probability: formatProbability(entry.probability) }));
  const chart = probabilityChart(prediction.probabilities, names, {
    title: t('chart.probabilities.title'),
    subtitle: title,
    probabilityAxis: t('chart.percent_axis', { name: t('chart.probability') }),
  });
  const files = [
    { name: `${fileStem}-seen.png`, data: await enlargedPng(Uint8Array.from(prediction.seen)) },
    { name: `${fileStem}-probabilities.png`, data: await ctx.services.charts.render(chart) },
  ];
  return {
    embeds: [{ title, description: [...lines, '', ...top3].join('\n'), image: files[1].name }],
    files,
    data: {
      ranked: ranked.map((entry) => ({ class: CLASS_NAMES[entry.classIndex] ?? String(entry.classIndex), label: entry.name, probability: entry.probability })),
      probabilities: prediction.probabilities,
      label: prediction.label,
    },
  };
}

/** `/predict index:N` with a run's model (and exercise 1's ending). */
export async function predictionAnswer(ctx: CommandContext, run: StoredRun, index: number, context: 'predict' | 'exercise'): Promise<Answer> {
  const { t } = ctx;
  if (!run.result.modelPath) return refusalAnswer(t, refusal('no-model', 'error.no_model', { runId: run.runId }));
  // Predictions skip the training queue: the trainer answers them between two batches.
  const prediction = await ctx.services.trainer.predict({ kind: 'run', path: run.result.modelPath }, { kind: 'test-image', index }, run.spec.normalize);
  const names = classNames(t);
  const [best] = rankClasses(prediction.probabilities, names);
  const sum = prediction.probabilities.reduce((total, probability) => total + probability, 0);
  const label = names[prediction.label ?? 0];
  const lines =
    context === 'exercise'
      ? [t('exercise.1.after', { index, sum: sum.toFixed(4), probability: formatProbability(best.probability), class: best.name, label })]
      : [
          t('predict.answer', { class: best.name, probability: formatProbability(best.probability), label }),
          t('predict.sum', { sum: sum.toFixed(4) }),
          t('predict.model', { runId: run.runId }),
        ];
  return describePrediction(ctx, prediction, t('predict.title', { index }), lines, `${run.runId}-test-${index}`);
}
