import type { JobEnd } from '../jobs/queue';
import type { StoredRun } from '../store/runs';
import type { Answer, CommandContext } from './command';
import { recordInExerciseThread } from './exercise-thread';
import { describeFailure } from './stop-description';

/** Answers the end of a training job: the run's result, or why there is none. */
export async function answerJobEnd(ctx: CommandContext, end: JobEnd, describe: (run: StoredRun) => Promise<Answer>): Promise<void> {
  if (end.run) {
    await ctx.reply(await describe(end.run));
    await recordInExerciseThread(ctx, end.run).catch((error: unknown) => ctx.services.log.error(`exercise thread of run ${end.run?.runId}`, error));
    return;
  }
  if (end.cancelled) {
    const message = ctx.t('cancel.cancelled', { jobId: end.job.id });
    await ctx.reply({ content: message, data: { jobId: end.job.id, stopReason: { kind: 'cancelled', epoch: 0 } } });
    // Only its owner is told who cancelled it (wherever they are looking, if their interaction is gone).
    if (end.cancelledBy) await ctx.followUp({ content: ctx.t('cancel.cancelled_by', { user: end.job.userName, jobId: end.job.id, teacher: end.cancelledBy.name }), ephemeral: true });
    return;
  }
  const failure = end.failure ?? { code: 'internal' as const, params: {}, detail: 'no result' };
  ctx.services.log.error(`job ${end.job.id} failed: ${failure.detail}`);
  const message = describeFailure(ctx.t, failure);
  await ctx.reply({ content: message, data: { error: { code: failure.code, message } } });
}
