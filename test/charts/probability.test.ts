import { probabilityChart } from '../../src/charts/probability';
import { HIGHLIGHT_COLOR } from '../../src/charts/theme';
import { CLASS_NAMES } from '../../src/experiments/results';

const text = { title: '스니커즈 같아요', probabilityAxis: '확률 (%)' };
const probabilities = [0.012, 0.001, 0.004, 0.002, 0.001, 0.031, 0.003, 0.912, 0.004, 0.03];

const highlighted = (config: ReturnType<typeof probabilityChart>) =>
  (config.data.datasets[0].backgroundColor as string[]).flatMap((color, i) => (color === HIGHLIGHT_COLOR ? [i] : []));

describe('probabilityChart', () => {
  it('draws ten horizontal bars in percent, each labelled with class and value', () => {
    const config = probabilityChart(probabilities, [...CLASS_NAMES], text);
    expect(config.options?.indexAxis).toBe('y');
    expect(config.data.datasets[0].data).toEqual([1.2, 0.1, 0.4, 0.2, 0.1, 3.1, 0.3, 91.2, 0.4, 3]);
    expect(config.data.labels?.[7]).toBe('Sneaker  91.2%');
    expect(config.options?.plugins?.title?.text).toBe('스니커즈 같아요');
  });

  it('highlights the most probable class by default', () => {
    expect(highlighted(probabilityChart(probabilities, [...CLASS_NAMES], text))).toEqual([7]);
  });

  it('highlights the class the caller asks for', () => {
    expect(highlighted(probabilityChart(probabilities, [...CLASS_NAMES], text, 5))).toEqual([5]);
  });

  it('is plain data that survives a JSON round trip', () => {
    const config = probabilityChart(probabilities, [...CLASS_NAMES], text);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});
