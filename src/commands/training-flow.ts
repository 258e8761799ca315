import type { ExperimentSpec } from '../experiments/spec';
import type { BatchProgress, EpochMetrics } from '../experiments/results';
import type { JobEnd } from '../jobs/queue';
import type { Answer, CommandContext } from './command';
import { formatAccuracy, formatDuration, formatLoss, progressBar } from './format';
import { refusal } from './refusal';

/** The progress message of a running job: epoch, bar, running loss and accuracy, time left. */
export function progressAnswer(ctx: CommandContext, runId: string, jobId: number, spec: ExperimentSpec, progress: BatchProgress, elapsedSeconds: number): Answer {
  const done = (progress.epoch - 1 + progress.batch / progress.batches) / spec.epochs;
  const eta = done > 0 ? (elapsedSeconds * (1 - done)) / done : 0;
  return {
    content: ctx.t('progress.line', {
      runId,
      epoch: progress.epoch,
      epochs: spec.epochs,
      bar: progressBar(done),
      percent: Math.floor(done * 100),
      loss: formatLoss(progress.loss),
      accuracy: formatAccuracy(progress.accuracy),
      eta: formatDuration(eta),
    }),
    buttons: [cancelButton(ctx, jobId)],
  };
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

/**
 * A finished run in this server with the very same settings and seed: thirty students running
 * the same exercise can look at it at once instead of waiting in the queue.
 */
function identicalRun(ctx: CommandContext, spec: ExperimentSpec) {
  const trainExamples = ctx.services.trainer.readyInfo?.trainExamples;
  const run = ctx.services.runs.findFinishedBySpec(ctx.guildId, spec, trainExamples);
  if (!run?.result.evaluation) return null;
  return {
    line: ctx.t('identical.offer', { runId: run.runId, user: run.ownerName, accuracy: formatAccuracy(run.result.evaluation.testAccuracy) }),
    button: { customId: `show:${run.runId}`, label: ctx.t('button.show_run', { runId: run.runId }), style: 'secondary' as const },
  };
}

/**
 * Queues a training job for the user and follows it: the queue position at once, then progress
 * edits, and the job's end. Resolves with the end (null when the job was refused; the user has been told why).
 */
export async function trainAndFollow(ctx: CommandContext, spec: ExperimentSpec, exercise: number | null, preface?: string): Promise<JobEnd | null> {
  const { queue } = ctx.services;
  let ended: (end: JobEnd) => void = () => undefined;
  const end = new Promise<JobEnd>((resolve) => (ended = resolve));
  let startedAt = Date.now();
  const epochLines: string[] = [];
  let latest: BatchProgress | null = null;
  // Set once the job is queued; progress only arrives after that.
  let queued: { runId: string; jobId: number } | null = null;
  const showProgress = () => {
    if (!latest || !queued) return;
    const answer = progressAnswer(ctx, queued.runId, queued.jobId, spec, latest, (Date.now() - startedAt) / 1000);
    answer.content = [preface, answer.content, ...epochLines.slice(-5)].filter(Boolean).join('\n');
    void ctx.progress(answer).catch((error: unknown) => ctx.services.log.error('progress update failed', error));
  };
  const outcome = queue.submit(
    { spec, exercise, user: ctx.user, guildId: ctx.guildId, channelId: ctx.channelId, locale: ctx.locale },
    {
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
    },
  );
  if (!outcome.ok) {
    const message =
      outcome.reason === 'already-queued'
        ? ctx.t('error.already_queued', { jobId: outcome.job.id, state: outcome.job.state })
        : outcome.reason === 'queue-full'
          ? ctx.t('error.queue_full', { cap: outcome.cap })
          : ctx.t('error.disk_full');
    await ctx.reply(refusal(outcome.reason, message));
    return null;
  }
  queued = { runId: outcome.runId, jobId: outcome.job.id };
  const identical = identicalRun(ctx, spec);
  const queuedLine = ctx.t('queue.queued', {
    jobId: outcome.job.id,
    runId: outcome.runId,
    position: outcome.position,
    estimate: formatDuration(outcome.estimateSeconds),
  });
  await ctx.reply({
    content: [preface, queuedLine, identical?.line].filter(Boolean).join('\n'),
    buttons: [cancelButton(ctx, outcome.job.id), ...(identical ? [identical.button] : [])],
  });
  return end;
}
