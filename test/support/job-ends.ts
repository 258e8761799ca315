import type { RunFailure } from '../../src/experiments/results';
import type { JobEnd } from '../../src/jobs/queue';
import type { StoredRun } from '../../src/store/runs';

/** The run a job ended with; throws, saying how it ended instead, when there is none. */
export function runOf(end: JobEnd): StoredRun {
  if (end.kind !== 'run') throw new Error(`job ${end.job.id} ended as ${end.kind}${end.kind === 'failed' ? ` (${end.failure.code}: ${end.failure.detail})` : ''}, not with a run`);
  return end.run;
}

/** The failure a job ended with; throws, saying how it ended instead, when it did not fail. */
export function failureOf(end: JobEnd): RunFailure {
  if (end.kind !== 'failed') throw new Error(`job ${end.job.id} ended as ${end.kind}, not as a failure`);
  return end.failure;
}
