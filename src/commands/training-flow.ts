import type { ExerciseNumber } from '../experiments/exercises';
import type { ExperimentSpec } from '../experiments/spec';
import type { BatchProgress, EpochMetrics } from '../experiments/results';
import type { JobEnd, SubmitRefusal } from '../jobs/queue';
import type { Answer, CommandContext } from './command';
import { formatAccuracy, formatDuration, formatLoss, momentMarkup, progressBar } from './format';
import { refusal, refusalAnswer, type Refusal } from './refusal';

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

/**
 * A finished run in this server with the very same settings and seed: thirty students running
 * the same exercise can look at it at once instead of waiting in the queue.
 */
function identicalRun(ctx: CommandContext, spec: ExperimentSpec) {
  const trainerCap = ctx.services.trainer.readyInfo?.trainExamples;
  const trainExamples = trainerCap === undefined ? undefined : Math.min(trainerCap, ctx.services.rules.limitsOf(ctx.guildId).trainExamples);
  const run = ctx.services.runs.findFinishedBySpec(ctx.guildId, spec, trainExamples);
  if (!run?.result.evaluation) return null;
  return {
    line: ctx.t('identical.offer', { runId: run.runId, user: run.ownerName, accuracy: formatAccuracy(run.result.evaluation.testAccuracy) }),
    button: { customId: `show:${run.runId}`, label: ctx.t('button.show_run', { runId: run.runId }), style: 'secondary' as const },
  };
}

function submitRefusal(refused: SubmitRefusal): Refusal {
  switch (refused.reason) {
    case 'already-queued':
      return refusal(refused.reason, 'error.already_queued', { jobId: refused.job.id, state: refused.job.state });
    case 'queue-full':
      return refusal(refused.reason, 'error.queue_full', { cap: refused.cap });
    case 'daily-quota':
      return refusal(refused.reason, 'error.daily_quota', { jobsPerDay: refused.jobsPerDay, time: momentMarkup(refused.nextAt) });
    case 'over-limits': {
      const { maxEpochs, maxUnits, maxBatchSize } = refused.limits;
      return refusal(refused.reason, 'error.over_limits', { maxEpochs, maxUnits, maxBatchSize });
    }
  }
}

/** Where the job stands once queued: its position and when it should be done, or that it waits for the teacher. */
function queuedLine(ctx: CommandContext, queued: { jobId: number; runId: string; position: number; estimateSeconds: number }): string {
  const pause = ctx.services.settings.pauseOf(ctx.guildId);
  const where = { jobId: queued.jobId, runId: queued.runId, position: queued.position };
  if (pause) return ctx.t('queue.queued_paused', { ...where, teacher: pause.byName });
  return ctx.t('queue.queued', { ...where, estimate: formatDuration(queued.estimateSeconds) });
}

/**
 * Queues a training job for the user and follows it: the queue position at once, then progress
 * edits, and the job's end. Resolves with the end (null when the job was refused; the user has been told why).
 */
export async function trainAndFollow(ctx: CommandContext, spec: ExperimentSpec, exercise: ExerciseNumber | null, preface?: string): Promise<JobEnd | null> {
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
    await ctx.reply(refusalAnswer(ctx.t, submitRefusal(outcome)));
    return null;
  }
  queued = { runId: outcome.runId, jobId: outcome.job.id };
  const identical = identicalRun(ctx, spec);
  const queuedAt = queuedLine(ctx, { jobId: outcome.job.id, runId: outcome.runId, position: outcome.position, estimateSeconds: outcome.estimateSeconds });
  await ctx.reply({
    content: [preface, queuedAt, identical?.line].filter(Boolean).join('\n'),
    buttons: [cancelButton(ctx, outcome.job.id), ...(identical ? [identical.button] : [])],
  });
  return end;
}
