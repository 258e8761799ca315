import type { JobEnd } from '../jobs/queue';
import type { StoredRun } from '../store/runs';
import type { Answer, AnswerButton, CommandContext } from './command';
import { recordInExerciseThread } from './exercise-thread';
import { describeFailure } from './stop-description';

/** Answers the end of a training job: the run's result, or why there is none. */
export async function answerJobEnd(ctx: CommandContext, end: JobEnd, describe: (run: StoredRun) => Promise<Answer>): Promise<void> {
  switch (end.kind) {
    case 'run': {
      await ctx.reply(await describe(end.run));
      await recordInExerciseThread(ctx, end.run).catch((error: unknown) => ctx.services.log.error(`exercise thread of run ${end.run.runId}`, error));
      return;
    }
    case 'cancelled': {
      const message = ctx.t('cancel.cancelled', { jobId: end.job.id });
      await ctx.reply({ content: message, data: { jobId: end.job.id, stopReason: { kind: 'cancelled', epoch: 0 } } });
      // Only its owner is told who cancelled it (wherever they are looking, if their interaction is gone).
      if (end.cancelledBy) await ctx.followUp({ content: ctx.t('cancel.cancelled_by', { user: end.job.userName, jobId: end.job.id, teacher: end.cancelledBy.name }), ephemeral: true });
      return;
    }
    case 'failed': {
      const message = describeFailure(ctx.t, end.failure);
      const buttons = end.job.kind === 'class-model' ? [] : [rerunButton(ctx, end.job.id)];
      await ctx.reply({ content: message, buttons, data: { error: { code: end.failure.code, message } } });
      return;
    }
    case 'class-model':
      // The class model's end is answered by the /classify that asked for it (classify-flow.ts).
      return;
  }
}

/** "Run again" for a job that ended without a run: the same settings, queued anew. */
export function rerunButton(ctx: CommandContext, jobId: number): AnswerButton {
  return { customId: `rerun:${jobId}`, label: ctx.t('button.run_again'), style: 'primary' };
}
