import type { ChartConfiguration } from 'chart.js';
import type { ChartSize } from './size';
import { BAR_COLOR, GRID_COLOR, HIGHLIGHT_COLOR, axisTitle, baseOptions, formatPercent, ticks, titlePlugins, toPercent, type ChartTitleText } from './theme';

export interface LeaderboardText extends ChartTitleText {
  /** Shown as a percentage axis, e.g. "Test accuracy (%)". */
  accuracyAxis: string;
}

export interface LeaderboardPoint {
  /** Who or which run, e.g. "mina · 128 units". */
  label: string;
  /** 0..1 */
  testAccuracy: number;
}

/**
 * Everyone's test accuracy for one exercise, best first, as horizontal bars with the value
 * written next to each label. `highlight` (an index into `points`) marks e.g. the asker's run.
 */
export function leaderboardChart(
  points: LeaderboardPoint[],
  text: LeaderboardText,
  highlight?: number,
): ChartConfiguration<'bar', number[], string> {
  const ranked = points.map((point, index) => ({ ...point, index })).sort((a, b) => b.testAccuracy - a.testAccuracy);
  return {
    type: 'bar',
    data: {
      labels: ranked.map((p, rank) => `${rank + 1}. ${p.label}  ${formatPercent(p.testAccuracy)}`),
      datasets: [{
        label: text.accuracyAxis,
        data: ranked.map((p) => toPercent(p.testAccuracy)),
        backgroundColor: ranked.map((p) => (p.index === highlight ? HIGHLIGHT_COLOR : BAR_COLOR)),
        borderRadius: 3,
      }],
    },
    options: {
      ...baseOptions<'bar'>(),
      indexAxis: 'y',
      plugins: titlePlugins(text, false),
      scales: {
        x: {
          type: 'linear',
          min: axisStart(points),
          max: 100,
          title: axisTitle(text.accuracyAxis),
          ticks: ticks(),
          grid: { color: GRID_COLOR },
        },
        y: { type: 'category', ticks: { ...ticks(15), autoSkip: false }, grid: { display: false } },
      },
    },
  };
}

/**
 * Results of one exercise differ by a few points; from zero every bar would look the same.
 * Starting a round ten below the weakest keeps differences visible (values are written out).
 */
function axisStart(points: LeaderboardPoint[]): number {
  if (points.length === 0) return 0;
  const lowest = Math.min(...points.map((p) => toPercent(p.testAccuracy)));
  return Math.max(0, Math.floor(lowest / 10) * 10 - 10);
}

/** A picture tall enough for every bar and label to stay readable, whatever the class size. */
export function leaderboardSize(pointCount: number): ChartSize {
  return { width: 800, height: Math.max(300, 150 + 34 * pointCount) };
}
