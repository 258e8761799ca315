import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { EpochMetrics } from '../experiments/results';
import { epochAxis, epochPoints, pointRadiusFor, type EpochPoint } from './epoch-axis';
import { BACKGROUND_COLOR, GRID_COLOR, RUN_COLORS, VALIDATION_DASH, axisTitle, baseOptions, ticks, titlePlugins, toPercent, type ChartTitleText } from './theme';

export type ComparisonMetric = 'loss' | 'accuracy';

export interface ComparisonText extends ChartTitleText {
  epochAxis: string;
  /** The compared metric, e.g. "Loss" or "Accuracy (%)" (accuracy is drawn in percent). */
  valueAxis: string;
  /** Added to each run's label in the legend: "run 12 · training". */
  training: string;
  validation: string;
}

export interface ComparedRun {
  label: string;
  epochs: EpochMetrics[];
}


/**
 * Several runs on one chart, one colour per run: training solid, validation dashed (when the run
 * has validation). Colours repeat after ten runs.
 */
export function comparisonChart(
  runs: ComparedRun[],
  text: ComparisonText,
  metric: ComparisonMetric = 'loss',
): ChartConfiguration<'line', EpochPoint[]> {
  const training = (e: EpochMetrics) => (metric === 'loss' ? e.loss : toPercent(e.accuracy));
  const validation = (e: EpochMetrics) => {
    const value = metric === 'loss' ? e.valLoss : e.valAccuracy;
    return value === null ? null : metric === 'loss' ? value : toPercent(value);
  };
  const longest = Math.max(1, ...runs.flatMap((run) => run.epochs.map((e) => e.epoch)));
  const pointRadius = pointRadiusFor(longest);
  const datasets = runs.flatMap((run, i) => {
    const color = RUN_COLORS[i % RUN_COLORS.length];
    const curve = (label: string, isValidation: boolean, data: EpochPoint[]): ChartDataset<'line', EpochPoint[]> => ({
      label,
      data,
      borderColor: color,
      backgroundColor: isValidation ? BACKGROUND_COLOR : color,
      borderWidth: 3,
      borderDash: isValidation ? VALIDATION_DASH : [],
      pointRadius,
    });
    const trainingCurve = curve(`${run.label} · ${text.training}`, false, epochPoints(run.epochs, training));
    const validationPoints = epochPoints(run.epochs, validation);
    return validationPoints.length === 0
      ? [trainingCurve]
      : [trainingCurve, curve(`${run.label} · ${text.validation}`, true, validationPoints)];
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...baseOptions<'line'>(),
      plugins: titlePlugins(text, true),
      scales: {
        x: epochAxis(text.epochAxis, longest),
        y: { type: 'linear', title: axisTitle(text.valueAxis), ticks: ticks(), grid: { color: GRID_COLOR } },
      },
    },
  };
}

