import type { ChartConfiguration } from 'chart.js';
import { ATTENTION_COLOR, BAR_COLOR, GRID_COLOR, axisTitle, baseOptions, formatPercent, ticks, titlePlugins, toPercent, type ChartTitleText } from './theme';

export interface PerClassAccuracyText extends ChartTitleText {
  /** Shown as a percentage axis, e.g. "Accuracy on test images (%)". */
  accuracyAxis: string;
}

/**
 * One horizontal bar per class, its accuracy (0..1) shown in percent and written next to the
 * class name. The weakest class stands out in orange: that is where a student should look.
 */
export function perClassAccuracyChart(
  perClass: number[],
  classNames: string[],
  text: PerClassAccuracyText,
): ChartConfiguration<'bar', number[], string> {
  const weakest = perClass.indexOf(Math.min(...perClass));
  return {
    type: 'bar',
    data: {
      labels: classNames.map((name, i) => `${name}  ${formatPercent(perClass[i])}`),
      datasets: [{
        label: text.accuracyAxis,
        data: perClass.map(toPercent),
        backgroundColor: perClass.map((_, i) => (i === weakest ? ATTENTION_COLOR : BAR_COLOR)),
        borderRadius: 3,
      }],
    },
    options: {
      ...baseOptions<'bar'>(),
      indexAxis: 'y',
      plugins: titlePlugins(text, false),
      scales: {
        x: { type: 'linear', min: 0, max: 100, title: axisTitle(text.accuracyAxis), ticks: ticks(), grid: { color: GRID_COLOR } },
        y: { type: 'category', ticks: { ...ticks(15), autoSkip: false }, grid: { display: false } },
      },
    },
  };
}
