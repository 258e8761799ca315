import type { EpochMetrics } from '../experiments/results';
import { GRID_COLOR, axisTitle, ticks } from './theme';

export type EpochPoint = { x: number; y: number };

/** One point per epoch that has a value; epochs without one (no validation) are left out. */
export function epochPoints(epochs: EpochMetrics[], value: (e: EpochMetrics) => number | null): EpochPoint[] {
  return epochs.flatMap((e) => {
    const y = value(e);
    return y === null ? [] : [{ x: e.epoch, y }];
  });
}

/** The x axis of per-epoch curves, from epoch 1 to the last one. */
export function epochAxis(title: string, lastEpoch: number) {
  return {
    type: 'linear' as const,
    min: 1,
    max: lastEpoch,
    title: axisTitle(title),
    // Every epoch gets a tick while they fit; beyond that Chart.js picks round numbers.
    ticks: { ...ticks(), precision: 0, stepSize: lastEpoch <= 20 ? 1 : undefined },
    grid: { color: GRID_COLOR },
  };
}

/** Curves with many epochs read better as plain lines than as rows of dots. */
export function pointRadiusFor(lastEpoch: number): number {
  return lastEpoch <= 30 ? 2.5 : 0;
}
