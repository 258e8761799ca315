import type { ExerciseNumber } from '../experiments/exercises';
import type { ExperimentSpec } from '../experiments/spec';
import type { JobEnd, SubmitRefusal } from '../jobs/queue';
import type { CommandContext } from './command';
import { formatAccuracy, formatDuration, momentMarkup } from './format';
import { cancelButton, followJob, type QueuedJob } from './job-progress';
import { refusal, refusalAnswer, type Refusal } from './refusal';

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
    case 'disk-full':
      return refusal(refused.reason, 'error.disk_full');
    case 'queue-unreachable':
      return refusal(refused.reason, 'error.queue_unreachable');
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
  // Set once the job is queued; progress only arrives after that.
  let queued: QueuedJob | null = null;
  const follower = followJob(ctx, spec, preface, () => queued);
  const outcome = ctx.services.queue.submit(
    { spec, exercise, user: ctx.user, guildId: ctx.guildId, channelId: ctx.channelId, locale: ctx.locale, replyRef: ctx.replyRef },
    follower.listener,
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
  return follower.end;
}
