import { createCanvas } from '@napi-rs/canvas';
import { confusionMatrixChart } from '../../src/charts/confusion-matrix';
import { pngSize } from '../../src/charts/png';
import { perClassAccuracyChart } from '../../src/charts/per-class-accuracy';
import { DEVICE_PIXEL_RATIO } from '../../src/charts/size';
import { createChartRenderer } from '../../src/charts/renderer';
import { CLASS_NAMES } from '../../src/experiments/results';
import { startFakeQuickChart, type FakeQuickChart } from './quickchart-server';

const config = perClassAccuracyChart([0.9, 0.97, 0.8, 0.88, 0.82, 0.95, 0.6, 0.96, 0.97, 0.95], [...CLASS_NAMES], {
  title: '클래스별 정확도',
  accuracyAxis: '정확도 (%)',
});
const size = { width: 300, height: 200 };
const servicePng = createCanvas(7, 5).toBuffer('image/png');

let service: FakeQuickChart | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

function recordingLog() {
  const entries: Array<{ message: string; cause: unknown }> = [];
  return { entries, log: (message: string, cause?: unknown) => entries.push({ message, cause }) };
}

describe('createChartRenderer', () => {
  it("with 'local' draws in this process and never calls the service", async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200).end(servicePng));
    const png = await createChartRenderer({ kind: 'local', quickChartUrl: service.url }).render(config, size);
    expect(pngSize(png)).toEqual({ width: 300 * DEVICE_PIXEL_RATIO, height: 200 * DEVICE_PIXEL_RATIO });
    expect(service.requests).toHaveLength(0);
  });

  it("with 'quickchart' returns the service's PNG", async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200, { 'content-type': 'image/png' }).end(servicePng));
    const { entries, log } = recordingLog();
    const png = await createChartRenderer({ kind: 'quickchart', quickChartUrl: service.url, log }).render(config, size);
    expect(png.equals(servicePng)).toBe(true);
    expect(entries).toEqual([]);
  });

  it('falls back to local drawing when the service answers 500, and logs why', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(500).end('Internal error'));
    const { entries, log } = recordingLog();
    const png = await createChartRenderer({ kind: 'quickchart', quickChartUrl: service.url, log }).render(config, size);
    expect(pngSize(png)).toEqual({ width: 300 * DEVICE_PIXEL_RATIO, height: 200 * DEVICE_PIXEL_RATIO });
    expect(service.requests).toHaveLength(1);
    expect(entries).toHaveLength(1);
    expect(entries[0].message).toMatch(/status code 500/);
    expect(entries[0].cause).toBeInstanceOf(Error);
  });

  it('falls back to local drawing when the service sends something that is not a PNG', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200).end('{"error":"nope"}'));
    const { entries, log } = recordingLog();
    const png = await createChartRenderer({ kind: 'quickchart', quickChartUrl: service.url, log }).render(config, size);
    expect(pngSize(png).width).toBe(300 * DEVICE_PIXEL_RATIO);
    expect(entries[0].message).toMatch(/not a PNG/);
  });

  it('falls back to local drawing when the service is unreachable', async () => {
    service = await startFakeQuickChart((res) => res.end());
    const url = service.url;
    await service.close();
    service = undefined;
    const { entries, log } = recordingLog();
    const png = await createChartRenderer({ kind: 'quickchart', quickChartUrl: url, log }).render(config, size);
    expect(pngSize(png).width).toBe(300 * DEVICE_PIXEL_RATIO);
    expect(entries).toHaveLength(1);
  });

  it('draws the confusion matrix locally without asking the service, which lacks the heat-map plugin', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200).end(servicePng));
    const matrix = CLASS_NAMES.map((_, row) => CLASS_NAMES.map((__, col) => (row === col ? 90 : 1)));
    const heatMap = confusionMatrixChart(matrix, [...CLASS_NAMES], { title: 'm', predictedAxis: 'p', trueAxis: 't' });
    const png = await createChartRenderer({ kind: 'quickchart', quickChartUrl: service.url }).render(heatMap, size);
    expect(pngSize(png).width).toBe(300 * DEVICE_PIXEL_RATIO);
    expect(service.requests).toHaveLength(0);
  });
});
