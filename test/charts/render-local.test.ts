import { GlobalFonts } from '@napi-rs/canvas';
import { confusionMatrixChart } from '../../src/charts/confusion-matrix';
import { HANGUL_FONT } from '../../src/charts/fonts';
import type { HeatmapCellsOptions } from '../../src/charts/heatmap-cells-plugin';
import { pngSize } from '../../src/charts/png';
import { probabilityChart } from '../../src/charts/probability';
import { renderChartPng } from '../../src/charts/render-local';
import { DEFAULT_CHART_SIZE, DEVICE_PIXEL_RATIO } from '../../src/charts/size';
import { FONT_FAMILY } from '../../src/charts/theme';
import { trainingCurvesChart, type TrainingCurvesText } from '../../src/charts/training-curves';
import { CLASS_NAMES } from '../../src/experiments/results';
import { decodePng, overfittingRun } from './fixtures';

const curvesText = (title: string): TrainingCurvesText => ({
  title,
  epochAxis: '에포크',
  lossAxis: '손실',
  accuracyAxis: '정확도 (%)',
  trainingLoss: '학습 손실',
  validationLoss: '검증 손실',
  trainingAccuracy: '학습 정확도',
  validationAccuracy: '검증 정확도',
});

const matrix = CLASS_NAMES.map((_, row) => CLASS_NAMES.map((__, col) => (row === col ? 900 : 11)));

describe('renderChartPng', () => {
  it('returns a PNG of the requested size times the device pixel ratio', async () => {
    const png = await renderChartPng(trainingCurvesChart(overfittingRun(5), curvesText('Curves')), { width: 400, height: 300 });
    expect(pngSize(png)).toEqual({ width: 400 * DEVICE_PIXEL_RATIO, height: 300 * DEVICE_PIXEL_RATIO });
  });

  it('uses the default size when none is given', async () => {
    const png = await renderChartPng(probabilityChart([0.1, 0.9, 0, 0, 0, 0, 0, 0, 0, 0], [...CLASS_NAMES], { title: 'p', probabilityAxis: '%' }));
    expect(pngSize(png)).toEqual({ width: DEFAULT_CHART_SIZE.width * DEVICE_PIXEL_RATIO, height: DEFAULT_CHART_SIZE.height * DEVICE_PIXEL_RATIO });
  });

  it('paints an opaque white background (a transparent PNG is unreadable in dark themes)', async () => {
    const pixels = await decodePng(await renderChartPng(trainingCurvesChart(overfittingRun(5), curvesText('Curves'))));
    expect(pixels.at(0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixels.at(pixels.width - 1, pixels.height - 1)).toEqual([255, 255, 255, 255]);
  });

  it('draws Hangul with the registered font: different syllables give different pixels, not the same box', async () => {
    const render = (title: string) => renderChartPng(trainingCurvesChart(overfittingRun(5), curvesText(title)), { width: 400, height: 300 });
    const [ga, na] = await Promise.all([render('가가가가'), render('나나나나')].map(async (png) => decodePng(await png)));
    expect(FONT_FAMILY).toContain(HANGUL_FONT);
    expect(GlobalFonts.has(HANGUL_FONT)).toBe(true);
    const titleBand = (p: typeof ga) => p.region(0, 0, p.width, 60);
    expect(titleBand(ga).equals(titleBand(na))).toBe(false);
  });

  it('sizes heat-map cells to fill the chart area', async () => {
    const config = confusionMatrixChart(matrix, [...CLASS_NAMES], { title: 'Confusion', predictedAxis: 'Predicted', trueAxis: 'True' });
    const pixels = await decodePng(await renderChartPng(config));
    // Sample the middle of the picture, well inside the grid of cells.
    let coloured = 0;
    let total = 0;
    for (let y = Math.round(pixels.height * 0.35); y < pixels.height * 0.75; y += 7) {
      for (let x = Math.round(pixels.width * 0.35); x < pixels.width * 0.75; x += 7) {
        const [r, g, b, a] = pixels.at(x, y);
        if (a === 255 && r + g + b < 3 * 250) coloured += 1;
        total += 1;
      }
    }
    expect(coloured / total).toBeGreaterThan(0.85);
  });

  it('writes the counts into the heat-map cells', async () => {
    const config = confusionMatrixChart(matrix, [...CLASS_NAMES], { title: 'Confusion', predictedAxis: 'Predicted', trueAxis: 'True' });
    const withoutCounts = structuredClone(config);
    const cells = withoutCounts.options!.plugins!.heatmapCells as HeatmapCellsOptions;
    cells.texts = cells.texts.map(() => '');
    const [counted, blank] = await Promise.all([renderChartPng(config), renderChartPng(withoutCounts)]);
    expect(counted.equals(blank)).toBe(false);
  });

  it('leaves the caller’s config as it was, so it can be rendered again', async () => {
    const config = confusionMatrixChart(matrix, [...CLASS_NAMES], { title: 'Confusion', predictedAxis: 'Predicted', trueAxis: 'True' });
    const before = JSON.stringify(config);
    const first = await renderChartPng(config);
    expect(JSON.stringify(config)).toBe(before);
    expect((await renderChartPng(config)).equals(first)).toBe(true);
  });
});
