import { comparisonChart, type ComparisonText } from '../../src/charts/comparison';
import { overfittingRun } from './fixtures';

const text: ComparisonText = { title: 'Compare', epochAxis: 'Epoch', valueAxis: 'Loss', training: 'training', validation: 'validation' };

describe('comparisonChart', () => {
  it('draws each run training solid and validation dashed, in one colour per run', () => {
    const config = comparisonChart([{ label: '#3', epochs: overfittingRun(4) }, { label: '#4', epochs: overfittingRun(6) }], text);
    const datasets = config.data.datasets;
    expect(datasets.map((d) => d.label)).toEqual(['#3 · training', '#3 · validation', '#4 · training', '#4 · validation']);
    expect(datasets.map((d) => (d.borderDash as number[]).length > 0)).toEqual([false, true, false, true]);
    expect(datasets[0].borderColor).toBe(datasets[1].borderColor);
    expect(datasets[0].borderColor).not.toBe(datasets[2].borderColor);
    expect(config.options?.scales?.x).toMatchObject({ min: 1, max: 6 });
  });

  it('compares loss by default and accuracy, in percent, when asked', () => {
    const epochs = overfittingRun(3);
    const loss = comparisonChart([{ label: 'a', epochs }], text);
    const accuracy = comparisonChart([{ label: 'a', epochs }], text, 'accuracy');
    expect(loss.data.datasets[1].data).toEqual(epochs.map((e) => ({ x: e.epoch, y: e.valLoss })));
    expect(accuracy.data.datasets[0].data[2].y).toBeCloseTo(epochs[2].accuracy * 100, 2);
  });

  it('leaves out validation curves for runs without validation', () => {
    const config = comparisonChart([{ label: 'a', epochs: overfittingRun(3, false) }, { label: 'b', epochs: overfittingRun(3) }], text);
    expect(config.data.datasets.map((d) => d.label)).toEqual(['a · training', 'b · training', 'b · validation']);
  });

  it('is plain data that survives a JSON round trip', () => {
    const config = comparisonChart([{ label: 'a', epochs: overfittingRun(5) }], text, 'accuracy');
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});
