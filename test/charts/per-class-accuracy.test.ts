import { perClassAccuracyChart } from '../../src/charts/per-class-accuracy';
import { ATTENTION_COLOR } from '../../src/charts/theme';
import { CLASS_NAMES } from '../../src/experiments/results';

const text = { title: 'Accuracy per class', accuracyAxis: 'Test accuracy (%)' };
const perClass = [0.856, 0.968, 0.806, 0.89, 0.818, 0.955, 0.622, 0.958, 0.971, 0.954];

describe('perClassAccuracyChart', () => {
  it('draws one bar per class, in percent, on a 0-100 axis', () => {
    const config = perClassAccuracyChart(perClass, [...CLASS_NAMES], text);
    expect(config.data.datasets[0].data).toEqual([85.6, 96.8, 80.6, 89, 81.8, 95.5, 62.2, 95.8, 97.1, 95.4]);
    expect(config.options?.scales?.x).toMatchObject({ min: 0, max: 100 });
  });

  it('writes each accuracy next to its class name', () => {
    const config = perClassAccuracyChart(perClass, [...CLASS_NAMES], text);
    expect(config.data.labels?.[6]).toBe('Shirt  62.2%');
  });

  it('picks out the weakest class', () => {
    const colors = perClassAccuracyChart(perClass, [...CLASS_NAMES], text).data.datasets[0].backgroundColor as string[];
    expect(colors.map((c, i) => (c === ATTENTION_COLOR ? i : -1)).filter((i) => i >= 0)).toEqual([6]);
  });

  it('is plain data that survives a JSON round trip', () => {
    const config = perClassAccuracyChart(perClass, [...CLASS_NAMES], text);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});
