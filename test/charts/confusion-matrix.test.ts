import { confusionMatrixChart, type ConfusionMatrixText } from '../../src/charts/confusion-matrix';
import type { HeatmapCellsOptions } from '../../src/charts/heatmap-cells-plugin';
import { CLASS_NAMES } from '../../src/experiments/results';

const text: ConfusionMatrixText = { title: 'Confusion matrix', predictedAxis: 'Predicted', trueAxis: 'True' };
const classNames = [...CLASS_NAMES];

/** 100 test images per class, 90 right; class 6 (Shirt) is often taken for class 0 (T-shirt/top). */
function sampleMatrix(): number[][] {
  return classNames.map((_, trueClass) =>
    classNames.map((__, predicted) => {
      if (trueClass === 6) return predicted === 6 ? 60 : predicted === 0 ? 40 : 0;
      return predicted === trueClass ? 90 : predicted === (trueClass + 1) % 10 ? 10 : 0;
    }),
  );
}

const heatmapCellsOf = (config: ReturnType<typeof confusionMatrixChart>) =>
  config.options?.plugins?.heatmapCells as HeatmapCellsOptions;

describe('confusionMatrixChart', () => {
  it('has one cell per (true, predicted) pair carrying its count', () => {
    const matrix = sampleMatrix();
    const cells = confusionMatrixChart(matrix, classNames, text).data.datasets[0].data;
    expect(cells).toHaveLength(100);
    expect(cells[6 * 10 + 0]).toEqual({ x: 'T-shirt/top', y: 'Shirt', v: 40 });
    expect(cells[3 * 10 + 3]).toEqual({ x: 'Dress', y: 'Dress', v: 90 });
  });

  it('writes each count in its cell and leaves empty cells blank', () => {
    const config = confusionMatrixChart(sampleMatrix(), classNames, text);
    const { texts } = heatmapCellsOf(config);
    expect(texts[6 * 10 + 0]).toBe('40');
    expect(texts[6 * 10 + 6]).toBe('60');
    expect(texts[0 * 10 + 5]).toBe('');
  });

  it('shades cells by their share of the row, with white text on the dark ones', () => {
    const config = confusionMatrixChart(sampleMatrix(), classNames, text);
    const colors = config.data.datasets[0].backgroundColor as string[];
    const { textColors } = heatmapCellsOf(config);
    const darkness = (color: string) => 765 - color.match(/\d+/g)!.map(Number).reduce((a, b) => a + b, 0);
    expect(darkness(colors[0])).toBeGreaterThan(darkness(colors[1])); // 90% cell darker than 10% cell
    expect(darkness(colors[6 * 10 + 6])).toBeGreaterThan(darkness(colors[6 * 10 + 0])); // 60% vs 40%
    expect(textColors[0]).toBe('#ffffff');
    expect(textColors[1]).not.toBe('#ffffff');
  });

  it('labels the axes with the class names given, e.g. in Korean', () => {
    const korean = ['티셔츠/탑', '바지', '풀오버', '드레스', '코트', '샌들', '셔츠', '스니커즈', '가방', '앵클 부츠'];
    const config = confusionMatrixChart(sampleMatrix(), korean, text);
    expect(config.options?.scales?.x).toMatchObject({ type: 'category', labels: korean });
    expect(config.options?.scales?.y).toMatchObject({ type: 'category', labels: korean });
    expect(config.data.datasets[0].data[0]).toMatchObject({ x: '티셔츠/탑', y: '티셔츠/탑' });
  });

  it('is plain data that survives a JSON round trip', () => {
    const config = confusionMatrixChart(sampleMatrix(), classNames, text);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});
