import type { Answer, CommandContext } from './command';
import { refusal } from './refusal';

/** Cancels a job (the user's own when no id is given), for `/cancel` and the Cancel button. */
export function cancelJob(ctx: CommandContext, jobId: number | undefined): Answer {
  const { queue, jobs } = ctx.services;
  const target = jobId ?? jobs.activeForUser(ctx.user.id)[0]?.id;
  if (target === undefined) return refusal('nothing-to-cancel', ctx.t('cancel.nothing'));
  const outcome = queue.cancel(target, { id: ctx.user.id, isTeacher: ctx.isTeacher });
  const key = ({
    cancelled: 'cancel.cancelled',
    stopping: 'cancel.stopping',
    'not-yours': 'cancel.not_yours',
    'not-found': 'cancel.not_found',
    'already-finished': 'cancel.already_finished',
  } as const)[outcome];
  const content = ctx.t(key, { jobId: target });
  const refused = outcome === 'not-yours' || outcome === 'not-found';
  return { content, ephemeral: refused, data: refused ? { error: { code: outcome, message: content } } : { jobId: target, outcome } };
}
