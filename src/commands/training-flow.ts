import type { ExperimentSpec } from '../experiments/spec';
import type { JobEnd } from '../jobs/queue';
import type { CommandContext } from './command';
import { formatAccuracy, formatDuration } from './format';
import { cancelButton, followJob, type QueuedJob } from './job-progress';
import { refusal } from './refusal';

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
  // Set once the job is queued; progress only arrives after that.
  let queued: QueuedJob | null = null;
  const follower = followJob(ctx, spec, preface, () => queued);
  const outcome = ctx.services.queue.submit(
    { spec, exercise, user: ctx.user, guildId: ctx.guildId, channelId: ctx.channelId, locale: ctx.locale, replyRef: ctx.replyRef },
    follower.listener,
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
  return follower.end;
}
