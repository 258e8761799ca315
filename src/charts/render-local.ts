import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { registerHangulFont } from './fonts';
import { heatmapCellsPlugin } from './heatmap-cells-plugin';
import { DEFAULT_CHART_SIZE, DEVICE_PIXEL_RATIO, type ChartSize } from './size';
import { BACKGROUND_COLOR } from './theme';

Chart.register(...registerables, MatrixController, MatrixElement);

/** Chart.js clears the canvas before drawing; paint the background right after that. */
const opaqueBackground: Plugin = {
  id: 'opaqueBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = BACKGROUND_COLOR;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Draws a chart configuration to PNG bytes in this process (Chart.js on @napi-rs/canvas). */
export async function renderChartPng(config: ChartConfiguration, size: ChartSize = DEFAULT_CHART_SIZE): Promise<Buffer> {
  registerHangulFont();
  const canvas = createCanvas(size.width, size.height);
  // Chart.js writes into the config it is given; a copy keeps the caller's config reusable.
  const own = structuredClone(config);
  own.options = { ...own.options, animation: false, responsive: false, maintainAspectRatio: false, devicePixelRatio: DEVICE_PIXEL_RATIO };
  own.plugins = [...(own.plugins ?? []), opaqueBackground, heatmapCellsPlugin as Plugin];
  // Chart.js reads the canvas through the DOM interfaces that @napi-rs/canvas imitates.
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, own);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
