import type { ChartConfiguration } from 'chart.js';
import type { MatrixDataPoint } from 'chartjs-chart-matrix';
import type { HeatmapCellsOptions } from './heatmap-cells-plugin';
import { axisTitle, baseOptions, ticks, titlePlugins, type ChartTitleText } from './theme';

export interface ConfusionMatrixText extends ChartTitleText {
  /** Across the top: what the model answered. */
  predictedAxis: string;
  /** Down the side: what the image really is. */
  trueAxis: string;
}

/** A cell of the heat map: x the predicted class, y the true class, v the count of test images. */
export type ConfusionCell = MatrixDataPoint & { x: string; y: string; v: number };

const EMPTY_CELL = '#f8f9fa';
/** From pale to dark blue as a cell holds more of its row's images. */
const LIGHT_RGB = [231, 245, 255];
const DARK_RGB = [24, 100, 171];

/**
 * Rows are the true class, columns the predicted class, each cell the count of test images.
 * Colour shows the share of the row, so a 10% mix-up (shirt taken for T-shirt) is visible even
 * though the diagonal holds most of the images.
 */
export function confusionMatrixChart(
  matrix: number[][],
  classNames: string[],
  text: ConfusionMatrixText,
): ChartConfiguration<'matrix', ConfusionCell[]> {
  const cells: ConfusionCell[] = [];
  const colors: string[] = [];
  const texts: string[] = [];
  const textColors: string[] = [];
  matrix.forEach((row, trueClass) => {
    const rowTotal = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, predictedClass) => {
      const share = rowTotal === 0 ? 0 : count / rowTotal;
      cells.push({ x: classNames[predictedClass], y: classNames[trueClass], v: count });
      colors.push(count === 0 ? EMPTY_CELL : shade(share));
      texts.push(count === 0 ? '' : String(count));
      textColors.push(shareIsDark(share) ? '#ffffff' : '#212529');
    });
  });
  const heatmapCells: HeatmapCellsOptions = { gap: 2, texts, textColors };
  return {
    type: 'matrix',
    data: {
      datasets: [{ label: text.title, data: cells, backgroundColor: colors, borderWidth: 0 }],
    },
    options: {
      ...baseOptions<'matrix'>(),
      plugins: { ...titlePlugins(text, false), heatmapCells },
      scales: {
        x: {
          type: 'category',
          labels: classNames,
          position: 'top',
          offset: true,
          title: axisTitle(text.predictedAxis),
          // Upright labels read best; the ten class names fit side by side from about 700 pixels wide.
          ticks: { ...ticks(), maxRotation: 0, autoSkip: false },
          grid: { display: false },
          border: { display: false },
        },
        y: {
          type: 'category',
          labels: classNames,
          offset: true,
          reverse: false,
          title: axisTitle(text.trueAxis),
          ticks: { ...ticks(), autoSkip: false },
          grid: { display: false },
          border: { display: false },
        },
      },
    },
  };
}

/** Square root stretches small shares, where the interesting mix-ups are. */
function intensity(share: number): number {
  return Math.sqrt(Math.min(1, Math.max(0, share)));
}

function shade(share: number): string {
  const t = intensity(share);
  const channel = (i: number) => Math.round(LIGHT_RGB[i] + (DARK_RGB[i] - LIGHT_RGB[i]) * t);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

function shareIsDark(share: number): boolean {
  return intensity(share) > 0.55;
}
