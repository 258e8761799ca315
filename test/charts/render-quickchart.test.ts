import { createCanvas } from '@napi-rs/canvas';
import { renderWithQuickChart, QuickChartError } from '../../src/charts/render-quickchart';
import { pngSize } from '../../src/charts/png';
import { probabilityChart } from '../../src/charts/probability';
import { CLASS_NAMES } from '../../src/experiments/results';
import { startFakeQuickChart, type FakeQuickChart } from './quickchart-server';

const config = probabilityChart([0.05, 0.9, 0.05, 0, 0, 0, 0, 0, 0, 0], [...CLASS_NAMES], { title: '바지', probabilityAxis: '%' });
const servicePng = createCanvas(7, 5).toBuffer('image/png');

let service: FakeQuickChart | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('renderWithQuickChart', () => {
  it('posts the config as Chart.js 4 JSON with size, pixel ratio and background, and returns the PNG', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200, { 'content-type': 'image/png' }).end(servicePng));
    const png = await renderWithQuickChart(config, { url: service.url, size: { width: 640, height: 400 } });
    expect(pngSize(png)).toEqual({ width: 7, height: 5 });
    expect(service.requests).toHaveLength(1);
    const { path, body } = service.requests[0];
    expect(path).toBe('/chart');
    expect(body).toMatchObject({ version: '4', format: 'png', width: 640, height: 400, devicePixelRatio: 2, backgroundColor: '#ffffff' });
    expect(JSON.parse(body.chart as string)).toEqual(config);
  });

  it('keeps a path prefix of the service address (QuickChart behind a reverse proxy)', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200).end(servicePng));
    await renderWithQuickChart(config, { url: `${service.url}/quickchart/` });
    expect(service.requests.map((r) => r.path)).toEqual(['/quickchart/chart']);
  });

  it('fails with a QuickChartError on a non-200 answer', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(500).end('boom'));
    await expect(renderWithQuickChart(config, { url: service.url })).rejects.toThrow(/status code 500/);
    await expect(renderWithQuickChart(config, { url: service.url })).rejects.toBeInstanceOf(QuickChartError);
  });

  it('fails with a QuickChartError when the answer is not a PNG', async () => {
    service = await startFakeQuickChart((res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await expect(renderWithQuickChart(config, { url: service.url })).rejects.toThrow(/not a PNG/);
  });

  it('gives up after the timeout when the service does not answer', async () => {
    service = await startFakeQuickChart(() => undefined);
    await expect(renderWithQuickChart(config, { url: service.url, timeoutMs: 200 })).rejects.toThrow(/within 200 ms/);
  });

  it('fails with a QuickChartError when nothing listens at the address', async () => {
    service = await startFakeQuickChart((res) => res.end());
    const url = service.url;
    await service.close();
    service = undefined;
    await expect(renderWithQuickChart(config, { url })).rejects.toBeInstanceOf(QuickChartError);
  });
});
