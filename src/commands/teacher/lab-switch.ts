import type { Answer, CommandContext } from '../command';
import { momentMarkup } from '../format';
import { pauseData } from '../lab-pause';
import { refusal, refusalAnswer } from '../refusal';
import { logTeacherAction } from './teacher-action';

/** `/teacher pause`: the server's new jobs wait in the queue; the running one finishes. */
export function pauseLab(ctx: CommandContext): Answer {
  const { settings } = ctx.services;
  if (ctx.guildId === null) return refusalAnswer(ctx.t, refusal('needs-server', 'teacher.pause_needs_server'));
  const earlier = settings.pauseOf(ctx.guildId);
  if (earlier) {
    return { content: ctx.t('teacher.already_paused', { teacher: earlier.byName, since: momentMarkup(earlier.since) }), ephemeral: true, data: { paused: pauseData(earlier) } };
  }
  const pause = settings.pause(ctx.guildId, ctx.user);
  logTeacherAction(ctx, 'pause');
  return { content: ctx.t('teacher.paused', { teacher: pause.byName }), data: { paused: pauseData(pause) } };
}

/** `/teacher resume`: the server's waiting jobs start again, in their order. */
export function resumeLab(ctx: CommandContext): Answer {
  const { settings, queue } = ctx.services;
  if (!settings.resume(ctx.guildId)) return { content: ctx.t('teacher.not_paused'), ephemeral: true, data: { paused: null } };
  logTeacherAction(ctx, 'resume');
  const waiting = queue.waiting().filter((job) => job.guildId === ctx.guildId).length;
  queue.wake();
  return { content: ctx.t('teacher.resumed', { teacher: ctx.user.name, waiting }), data: { paused: null, waiting } };
}
