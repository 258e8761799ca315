import type { BatchProgress } from '../experiments/results';
import type { EpochHooks } from './trainee';

/**
 * Lets a progress report through at most once per interval, across epochs: an epoch shorter
 * than the interval still gets its report when the interval is up.
 */
export class ProgressPacer {
  private last = performance.now();

  constructor(private readonly intervalMs = 1000) {}

  due(): boolean {
    if (performance.now() - this.last < this.intervalMs) return false;
    this.last = performance.now();
    return true;
  }
}

export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** What a run's callbacks become for one epoch: paced reports with the epoch's number, and the stop check. */
export function epochHooks(
  epoch: number,
  pacer: ProgressPacer,
  callbacks: { onBatch?: (progress: BatchProgress) => void; shouldStop?: () => boolean },
): EpochHooks {
  return {
    shouldStop: () => callbacks.shouldStop?.() ?? false,
    progressDue: () => callbacks.onBatch !== undefined && pacer.due(),
    onProgress: (progress) => callbacks.onBatch?.({ epoch, ...progress }),
  };
}
