import type { Answer, CommandContext } from '../command';
import { refreshSummaries } from '../exercise-thread';
import { logTeacherAction } from './teacher-action';

/**
 * `/teacher new-term [name]`: the server's leaderboard, exercise summaries and identical-run
 * offers start empty; earlier runs stay in /history and /export under their term's name.
 */
export async function startTerm(ctx: CommandContext, name: string | undefined): Promise<Answer> {
  const typed = name?.trim();
  const term = ctx.services.terms.start(ctx.guildId, typed ? typed : null, ctx.user);
  logTeacherAction(ctx, 'new-term', { name: term.name });
  if (ctx.guildId !== null) {
    await refreshSummaries(ctx, ctx.services.threads.threadsOf(ctx.guildId)).catch((error: unknown) => ctx.services.log.error('exercise summaries after a new term', error));
  }
  return { content: ctx.t('teacher.new_term', { teacher: ctx.user.name, name: term.name }), data: { term: { name: term.name, startedAt: term.startedAt } } };
}
