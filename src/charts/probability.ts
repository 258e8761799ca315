import type { ChartConfiguration } from 'chart.js';
import { GRID_COLOR, HIGHLIGHT_COLOR, MUTED_BAR_COLOR, axisTitle, baseOptions, formatPercent, ticks, titlePlugins, toPercent, type ChartTitleText } from './theme';

export interface ProbabilityText extends ChartTitleText {
  /** Shown as a percentage axis, e.g. "Probability (%)". */
  probabilityAxis: string;
}

/**
 * The model's ten class probabilities (0..1, summing to 1) as horizontal bars in percent, each
 * written next to its class name. One bar stands out: `highlight`, or else the most probable.
 */
export function probabilityChart(
  probabilities: number[],
  classNames: string[],
  text: ProbabilityText,
  highlight: number = indexOfMax(probabilities),
): ChartConfiguration<'bar', number[], string> {
  return {
    type: 'bar',
    data: {
      labels: classNames.map((name, i) => `${name}  ${formatPercent(probabilities[i])}`),
      datasets: [{
        label: text.probabilityAxis,
        data: probabilities.map(toPercent),
        backgroundColor: probabilities.map((_, i) => (i === highlight ? HIGHLIGHT_COLOR : MUTED_BAR_COLOR)),
        borderRadius: 3,
        // A 0.1% bar would vanish; a sliver keeps every class visibly present.
        minBarLength: 2,
      }],
    },
    options: {
      ...baseOptions<'bar'>(),
      indexAxis: 'y',
      plugins: titlePlugins(text, false),
      scales: {
        x: { type: 'linear', min: 0, max: 100, title: axisTitle(text.probabilityAxis), ticks: ticks(), grid: { color: GRID_COLOR } },
        y: { type: 'category', ticks: { ...ticks(15), autoSkip: false }, grid: { display: false } },
      },
    },
  };
}

function indexOfMax(values: number[]): number {
  return values.reduce((best, value, i) => (value > values[best] ? i : best), 0);
}
