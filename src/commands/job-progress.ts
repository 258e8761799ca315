import type { ExperimentSpec } from '../experiments/spec';
import type { BatchProgress, EpochMetrics } from '../experiments/results';
import type { JobEnd, JobListener } from '../jobs/queue';
import type { Answer, CommandContext } from './command';
import { formatAccuracy, formatDuration, formatLoss, progressBar } from './format';

/** The progress message of a running job: epoch, bar, running loss and accuracy, time left. */
export function progressAnswer(ctx: CommandContext, runId: string, jobId: number, spec: ExperimentSpec, progress: BatchProgress, elapsedSeconds: number): Answer {
  const done = (progress.epoch - 1 + progress.batch / progress.batches) / spec.epochs;
  const eta = done > 0 ? (elapsedSeconds * (1 - done)) / done : 0;
  const bar = ctx.t('progress.bar_line', { runId, epoch: progress.epoch, epochs: spec.epochs, bar: progressBar(done), percent: Math.floor(done * 100) });
  const figures = ctx.t('progress.figures_line', { loss: formatLoss(progress.loss), accuracy: formatAccuracy(progress.accuracy), eta: formatDuration(eta) });
  return { content: `${bar}\n${figures}`, status: bar, buttons: [cancelButton(ctx, jobId)] };
}

export function cancelButton(ctx: CommandContext, jobId: number) {
  return { customId: `cancel:${jobId}`, label: ctx.t('button.cancel'), style: 'danger' as const };
}

/** One line per finished epoch, shown under the progress bar. */
export function epochLine(ctx: CommandContext, metrics: EpochMetrics): string {
  const values = { epoch: metrics.epoch, loss: formatLoss(metrics.loss), accuracy: formatAccuracy(metrics.accuracy) };
  if (metrics.valLoss === null || metrics.valAccuracy === null) return ctx.t('progress.epoch_line', values);
  return ctx.t('progress.epoch_line_val', { ...values, valLoss: formatLoss(metrics.valLoss), valAccuracy: formatAccuracy(metrics.valAccuracy) });
}

export interface QueuedJob {
  runId: string;
  jobId: number;
}

/**
 * Follows a training job for its student: a listener that shows the progress bar and the last
 * epochs under `preface`, paced by the adapter, and the job's end. `queued` names the job once it
 * is queued (progress only comes after that).
 */
export function followJob(ctx: CommandContext, spec: ExperimentSpec, preface: string | undefined, queued: () => QueuedJob | null): { listener: JobListener; end: Promise<JobEnd> } {
  let ended: (end: JobEnd) => void = () => undefined;
  const end = new Promise<JobEnd>((resolve) => (ended = resolve));
  let startedAt = Date.now();
  const epochLines: string[] = [];
  let latest: BatchProgress | null = null;
  const showProgress = () => {
    const job = queued();
    if (!latest || !job) return;
    const answer = progressAnswer(ctx, job.runId, job.jobId, spec, latest, (Date.now() - startedAt) / 1000);
    answer.content = [preface, answer.content, ...epochLines.slice(-5)].filter(Boolean).join('\n');
    void ctx.progress(answer).catch((error: unknown) => ctx.services.log.error('progress update failed', error));
  };
  const listener: JobListener = {
    onStart: () => {
      startedAt = Date.now();
    },
    onBatch: (progress) => {
      latest = progress;
      showProgress();
    },
    onEpoch: (metrics) => {
      epochLines.push(epochLine(ctx, metrics));
      // Short epochs may end before any batch report (at most one a second) arrived.
      latest = { epoch: metrics.epoch, batch: 1, batches: 1, loss: metrics.loss, accuracy: metrics.accuracy };
      showProgress();
    },
    onEnd: (jobEnd) => ended(jobEnd),
  };
  return { listener, end };
}
