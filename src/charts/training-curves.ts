import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { EpochMetrics } from '../experiments/results';
import { epochAxis, epochPoints, pointRadiusFor, type EpochPoint } from './epoch-axis';
import {
  ACCURACY_COLOR, BACKGROUND_COLOR, GRID_COLOR, LOSS_COLOR, MARKER_COLOR, VALIDATION_DASH,
  axisTitle, baseOptions, ticks, titlePlugins, toPercent, type ChartTitleText,
} from './theme';

export interface TrainingCurvesText extends ChartTitleText {
  epochAxis: string;
  lossAxis: string;
  /** Shown as a percentage axis, e.g. "Accuracy (%)". */
  accuracyAxis: string;
  trainingLoss: string;
  validationLoss: string;
  trainingAccuracy: string;
  validationAccuracy: string;
}

/** An epoch to point at, e.g. the best epoch kept by early stopping, with its legend words. */
export interface EpochMark {
  epoch: number;
  label: string;
}

type CurveDataset = ChartDataset<'line', EpochPoint[]>;

/**
 * Loss (left axis) and accuracy in percent (right axis) per epoch. Training curves are solid,
 * validation curves dashed in the same colour, so overfitting shows as the two loss lines parting.
 */
export function trainingCurvesChart(
  epochs: EpochMetrics[],
  text: TrainingCurvesText,
  mark?: EpochMark,
): ChartConfiguration<'line', EpochPoint[]> {
  const lastEpoch = Math.max(1, ...epochs.map((e) => e.epoch));
  const curve = (label: string, color: string, axis: 'loss' | 'accuracy', validation: boolean, data: EpochPoint[]): CurveDataset => ({
    label,
    data,
    yAxisID: axis,
    borderColor: color,
    // Hollow points and legend box for validation, filled for training.
    backgroundColor: validation ? BACKGROUND_COLOR : color,
    borderWidth: 3,
    borderDash: validation ? VALIDATION_DASH : [],
    pointRadius: pointRadiusFor(lastEpoch),
  });
  const valLoss = epochPoints(epochs, (e) => e.valLoss);
  const valAccuracy = epochPoints(epochs, (e) => (e.valAccuracy === null ? null : toPercent(e.valAccuracy)));
  const datasets: CurveDataset[] = [
    curve(text.trainingLoss, LOSS_COLOR, 'loss', false, epochPoints(epochs, (e) => e.loss)),
    ...(valLoss.length > 0 ? [curve(text.validationLoss, LOSS_COLOR, 'loss', true, valLoss)] : []),
    curve(text.trainingAccuracy, ACCURACY_COLOR, 'accuracy', false, epochPoints(epochs, (e) => toPercent(e.accuracy))),
    ...(valAccuracy.length > 0 ? [curve(text.validationAccuracy, ACCURACY_COLOR, 'accuracy', true, valAccuracy)] : []),
    ...(mark ? [markerLine(mark)] : []),
  ];
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...baseOptions<'line'>(),
      plugins: titlePlugins(text, true),
      scales: {
        x: epochAxis(text.epochAxis, lastEpoch),
        loss: {
          type: 'linear',
          position: 'left',
          title: { ...axisTitle(text.lossAxis), color: LOSS_COLOR },
          ticks: { ...ticks(), color: LOSS_COLOR },
          grid: { color: GRID_COLOR },
        },
        accuracy: {
          type: 'linear',
          position: 'right',
          title: { ...axisTitle(text.accuracyAxis), color: ACCURACY_COLOR },
          ticks: { ...ticks(), color: ACCURACY_COLOR },
          // One grid is enough; a second set of lines would cross the first.
          grid: { drawOnChartArea: false },
        },
        // The marker line spans the whole height on its own hidden 0..1 axis.
        marker: { type: 'linear', axis: 'y', display: false, min: 0, max: 1 },
      },
    },
  };
}

function markerLine(mark: EpochMark): CurveDataset {
  return {
    label: mark.label,
    data: [{ x: mark.epoch, y: 0 }, { x: mark.epoch, y: 1 }],
    yAxisID: 'marker',
    borderColor: MARKER_COLOR,
    backgroundColor: BACKGROUND_COLOR,
    borderWidth: 2,
    borderDash: [2, 3],
    pointRadius: 0,
  };
}
