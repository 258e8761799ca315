import type { Answer, CommandContext } from './command';
import { refusal, refusalAnswer } from './refusal';

/** Cancels a job (the user's own when no id is given), for `/cancel` and the Cancel button. */
export function cancelJob(ctx: CommandContext, jobId: number | undefined): Answer {
  const { queue, jobs } = ctx.services;
  const target = jobId ?? jobs.activeForUser(ctx.user.id)[0]?.id;
  if (target === undefined) return refusalAnswer(ctx.t, refusal('nothing-to-cancel', 'cancel.nothing'));
  const outcome = queue.cancel(target, { ...ctx.user, isTeacher: ctx.isTeacher });
  const key = ({
    cancelled: 'cancel.cancelled',
    stopping: 'cancel.stopping',
    'not-yours': 'cancel.not_yours',
    'not-found': 'cancel.not_found',
    'already-finished': 'cancel.already_finished',
  } as const)[outcome];
  if (outcome === 'not-yours' || outcome === 'not-found') return refusalAnswer(ctx.t, refusal(outcome, key, { jobId: target }));
  return { content: ctx.t(key, { jobId: target }), ephemeral: false, data: { jobId: target, outcome } };
}
