import { trainingCurvesChart, type TrainingCurvesText } from '../../src/charts/training-curves';
import { overfittingRun } from './fixtures';

const text: TrainingCurvesText = {
  title: '학습 곡선',
  epochAxis: '에포크',
  lossAxis: '손실',
  accuracyAxis: '정확도 (%)',
  trainingLoss: '학습 손실',
  validationLoss: '검증 손실',
  trainingAccuracy: '학습 정확도',
  validationAccuracy: '검증 정확도',
};

const labelsOf = (config: ReturnType<typeof trainingCurvesChart>) => config.data.datasets.map((d) => d.label);

describe('trainingCurvesChart', () => {
  it('plots loss and accuracy (in percent) for every epoch, on their own axes', () => {
    const epochs = [
      { epoch: 1, loss: 0.5, accuracy: 0.81234, valLoss: 0.45, valAccuracy: 0.8, seconds: 3 },
      { epoch: 2, loss: 0.4, accuracy: 0.85, valLoss: 0.42, valAccuracy: 0.83456, seconds: 3 },
      { epoch: 3, loss: 0.35, accuracy: 0.8875, valLoss: 0.44, valAccuracy: 0.84, seconds: 3 },
    ];
    const config = trainingCurvesChart(epochs, text);
    const [loss, valLoss, accuracy, valAccuracy] = config.data.datasets;
    expect(loss.data).toEqual([{ x: 1, y: 0.5 }, { x: 2, y: 0.4 }, { x: 3, y: 0.35 }]);
    expect(accuracy.data).toEqual([{ x: 1, y: 81.23 }, { x: 2, y: 85 }, { x: 3, y: 88.75 }]);
    expect(valLoss.data).toEqual([{ x: 1, y: 0.45 }, { x: 2, y: 0.42 }, { x: 3, y: 0.44 }]);
    expect(valAccuracy.data).toEqual([{ x: 1, y: 80 }, { x: 2, y: 83.46 }, { x: 3, y: 84 }]);
    expect([loss.yAxisID, valLoss.yAxisID, accuracy.yAxisID, valAccuracy.yAxisID]).toEqual(['loss', 'loss', 'accuracy', 'accuracy']);
    expect(config.options?.plugins?.title?.text).toBe('학습 곡선');
  });

  it('dashes validation curves and keeps training curves solid', () => {
    const config = trainingCurvesChart(overfittingRun(3), text);
    const dashed = config.data.datasets.map((d) => (d.borderDash as number[]).length > 0);
    expect(dashed).toEqual([false, true, false, true]);
  });

  it('leaves validation curves out when the run had no validation data', () => {
    const config = trainingCurvesChart(overfittingRun(4, false), text);
    expect(labelsOf(config)).toEqual(['학습 손실', '학습 정확도']);
  });

  it('draws a full-height line at the marked epoch, labelled by the caller', () => {
    const config = trainingCurvesChart(overfittingRun(12), text, { epoch: 6, label: '조기 종료: 최적 에포크 6' });
    const marker = config.data.datasets.at(-1)!;
    expect(marker.label).toBe('조기 종료: 최적 에포크 6');
    expect(marker.data).toEqual([{ x: 6, y: 0 }, { x: 6, y: 1 }]);
    expect(marker.yAxisID).toBe('marker');
  });

  it('spans the x axis from epoch 1 to the last epoch', () => {
    const config = trainingCurvesChart(overfittingRun(8), text);
    expect(config.options?.scales?.x).toMatchObject({ min: 1, max: 8 });
  });

  it('is plain data that survives a JSON round trip', () => {
    const config = trainingCurvesChart(overfittingRun(10), text, { epoch: 4, label: 'best' });
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});
