import type { Answer, CommandContext, UserInput } from '../command';
import { logTeacherAction } from './teacher-action';

/**
 * `/teacher clear-queue [user]`: cancels this server's waiting jobs (one student's, or everyone's).
 * Each student hears it privately where they are looking: the queue tells the follower of each job.
 * The class model's job stays: it serves the whole class, not one student.
 */
export function clearQueue(ctx: CommandContext, user: UserInput | undefined): Answer {
  const { queue } = ctx.services;
  const waiting = queue.waiting().filter((job) => job.guildId === ctx.guildId && job.kind !== 'class-model' && (!user || job.userId === user.id));
  const cancelled = waiting.filter((job) => queue.cancel(job.id, { ...ctx.user, isTeacher: true }) === 'cancelled');
  const data = { cancelled: cancelled.map((job) => job.id) };
  if (cancelled.length === 0) {
    return { content: user ? ctx.t('teacher.nothing_waiting_user', { user: user.name }) : ctx.t('teacher.nothing_waiting'), ephemeral: true, data };
  }
  logTeacherAction(ctx, 'clear-queue', { count: cancelled.length, user: user?.name ?? null });
  const content = user ? ctx.t('teacher.cleared_user', { count: cancelled.length, user: user.name }) : ctx.t('teacher.cleared', { count: cancelled.length });
  return { content, ephemeral: true, data };
}
