import type { ChartConfiguration } from 'chart.js';
import { usesHeatmapCells } from './heatmap-cells-plugin';
import { renderChartPng } from './render-local';
import { renderWithQuickChart } from './render-quickchart';
import type { ChartSize } from './size';

export interface ChartRenderer {
  render(config: ChartConfiguration, size?: ChartSize): Promise<Buffer>;
}

export interface ChartRendererOptions {
  kind: 'local' | 'quickchart';
  quickChartUrl: string;
  /** Told why a chart was drawn locally after all. */
  log?: (message: string, cause?: unknown) => void;
  timeoutMs?: number;
}

/**
 * Draws charts locally, or through QuickChart with local drawing as the fallback: a chart is
 * never lost because the service is down, slow or answers nonsense.
 */
export function createChartRenderer(options: ChartRendererOptions): ChartRenderer {
  if (options.kind === 'local') return { render: renderChartPng };
  const log = options.log ?? (() => undefined);
  return {
    async render(config, size) {
      // The heat map's cell sizes and counts come from a local plugin that QuickChart lacks.
      if (usesHeatmapCells(config)) return renderChartPng(config, size);
      try {
        return await renderWithQuickChart(config, { url: options.quickChartUrl, size, timeoutMs: options.timeoutMs });
      } catch (error) {
        log(`Chart drawn locally: ${error instanceof Error ? error.message : String(error)}`, error);
        return renderChartPng(config, size);
      }
    },
  };
}
