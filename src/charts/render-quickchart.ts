import type { ChartConfiguration } from 'chart.js';
import QuickChart from 'quickchart-js';
import { isPng } from './png';
import { DEFAULT_CHART_SIZE, DEVICE_PIXEL_RATIO, type ChartSize } from './size';
import { BACKGROUND_COLOR } from './theme';

export const QUICKCHART_TIMEOUT_MS = 10_000;

/** The QuickChart service did not give us a chart; `message` says why, `cause` holds the details. */
export class QuickChartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuickChartError';
  }
}

export interface QuickChartOptions {
  /** Base address of a (self-hosted) QuickChart, e.g. http://127.0.0.1:3400 */
  url: string;
  size?: ChartSize;
  timeoutMs?: number;
}

/** Asks a QuickChart service to draw the chart (Chart.js 4) and returns the PNG bytes. */
export async function renderWithQuickChart(config: ChartConfiguration, options: QuickChartOptions): Promise<Buffer> {
  const { width, height } = options.size ?? DEFAULT_CHART_SIZE;
  const client = pointedAt(new URL(options.url))
    // A JSON string, so nothing but plain data can leave this process.
    .setConfig(JSON.stringify(config))
    .setVersion('4')
    .setFormat('png')
    .setWidth(width)
    .setHeight(height)
    .setDevicePixelRatio(DEVICE_PIXEL_RATIO)
    .setBackgroundColor(BACKGROUND_COLOR);
  const bytes = await withTimeout(client.toBinary(), options.timeoutMs ?? QUICKCHART_TIMEOUT_MS);
  if (!isPng(bytes)) throw new QuickChartError(`QuickChart at ${options.url} answered with something that is not a PNG`);
  return bytes;
}

/** quickchart-js takes the scheme and the host separately; a path prefix rides along with the host. */
function pointedAt(url: URL): QuickChart {
  const hostAndPath = `${url.host}${url.pathname}`.replace(/\/+$/, '');
  return new QuickChart().setScheme(url.protocol.replace(/:$/, '')).setHost(hostAndPath);
}

async function withTimeout(request: Promise<Buffer>, timeoutMs: number): Promise<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QuickChartError(`QuickChart did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([request, timeout]);
  } catch (error) {
    if (error instanceof QuickChartError) throw error;
    throw new QuickChartError(`QuickChart request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
