import type { Chart, ChartConfiguration, ChartType, Plugin } from 'chart.js';
import { FONT_FAMILY } from './theme';

/**
 * What a heat map needs beyond the matrix chart type, given as plain data so the config stays
 * JSON: the text of each cell (e.g. its count) and the text colour that reads on that cell.
 */
export interface HeatmapCellsOptions {
  /** Space between cells, in CSS pixels. */
  gap: number;
  /** One entry per data point of the first dataset; '' leaves a cell blank. */
  texts: string[];
  textColors: string[];
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merging with Chart.js' interface needs its own type parameter
  interface PluginOptionsByType<TType extends ChartType> {
    heatmapCells?: HeatmapCellsOptions;
  }
}

/**
 * Local-renderer plugin for matrix charts. The matrix element needs a width and height in pixels,
 * which are only known after layout (the usual answer is a function in the config, which JSON
 * cannot carry), and Chart.js draws no text in cells by itself.
 */
export const heatmapCellsPlugin: Plugin<'matrix', HeatmapCellsOptions> = {
  id: 'heatmapCells',
  beforeDatasetsUpdate(chart, _args, options) {
    if (!options.texts) return;
    const { width, height } = cellSize(chart);
    for (const dataset of chart.data.datasets) {
      Object.assign(dataset, { width: Math.max(1, width - options.gap), height: Math.max(1, height - options.gap) });
    }
  },
  afterDatasetsDraw(chart, _args, options) {
    if (!options.texts) return;
    const cells = chart.getDatasetMeta(0).data;
    const { height } = cellSize(chart);
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = `bold ${Math.round(Math.min(16, Math.max(9, height * 0.4)))}px ${FONT_FAMILY}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    cells.forEach((cell, i) => {
      // A matrix cell's tooltip position is its centre.
      const { x, y } = cell.tooltipPosition(false);
      if (x === null || y === null) return;
      ctx.fillStyle = options.textColors[i] ?? '#000000';
      ctx.fillText(options.texts[i] ?? '', x, y);
    });
    ctx.restore();
  },
};

/** One step along each axis in pixels: the size a cell must have to fill the chart area. */
function cellSize(chart: Chart): { width: number; height: number } {
  const { x, y } = chart.scales;
  return {
    width: Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)),
    height: Math.abs(y.getPixelForValue(1) - y.getPixelForValue(0)),
  };
}

/** Whether a chart needs this plugin, i.e. only the local renderer can draw it properly. */
export function usesHeatmapCells(config: ChartConfiguration): boolean {
  return config.options?.plugins?.heatmapCells !== undefined;
}
