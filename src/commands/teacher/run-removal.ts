import type { Answer, CommandContext } from '../command';
import { refreshSummaries } from '../exercise-thread';
import { findRun } from '../run-lookup';
import { refusalAnswer } from '../refusal';
import { logTeacherAction } from './teacher-action';

/**
 * `/teacher remove run:` and `/teacher restore run:`: hides a run from the class's results (the
 * leaderboard, its exercise thread's summary, /compare's choices), or shows it again. It stays in
 * the store, in /history and in /export, marked.
 */
export async function setRunRemoved(ctx: CommandContext, runId: string, removed: boolean): Promise<Answer> {
  const found = findRun(ctx, runId);
  if (!found.ok) return refusalAnswer(ctx.t, found.refusal);
  const run = found.value;
  const data = { runId: run.runId, removed };
  if (!ctx.services.runs.setRemoved(run.runId, removed)) {
    return { content: ctx.t(removed ? 'teacher.already_removed' : 'teacher.not_removed', { runId: run.runId }), ephemeral: true, data };
  }
  logTeacherAction(ctx, removed ? 'remove' : 'restore', { runId: run.runId, owner: run.ownerName });
  if (run.exercise !== null && run.guildId !== null && run.channelId !== null) {
    const thread = ctx.services.threads.get({ guildId: run.guildId, channelId: run.channelId, exercise: run.exercise });
    await refreshSummaries(ctx, thread ? [thread] : []).catch((error: unknown) => ctx.services.log.error(`summary of exercise ${run.exercise} after ${run.runId} changed`, error));
  }
  return { content: ctx.t(removed ? 'teacher.removed' : 'teacher.restored', { runId: run.runId, user: run.ownerName }), ephemeral: true, data };
}
