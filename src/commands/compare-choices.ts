import type { StoredRun } from '../store/runs';
import type { CommandContext } from './command';
import { refusal, refused, type Checked } from './refusal';
import { runAutocomplete } from './run-lookup';

/** An autocomplete value meaning "this student's last run". */
const LAST_RUN = /^last:(\d{1,32}|console)$/;
const MAX_COMPARED = 10;

function resolveOne(ctx: CommandContext, choice: string): StoredRun | undefined {
  const last = LAST_RUN.exec(choice.trim());
  const run = last ? ctx.services.runs.lastRun(ctx.guildId, last[1]) : ctx.services.runs.getRun(choice.trim());
  return run && run.guildId === ctx.guildId ? run : undefined;
}

/**
 * The runs to compare: the named ones; else every run of the exercise (latest ten); else the
 * user's last two runs.
 */
export function resolveRunChoices(
  ctx: CommandContext,
  options: { first?: string; second?: string; third?: string; exercise?: number },
): Checked<StoredRun[]> {
  const named = [options.first, options.second, options.third].filter((choice): choice is string => choice !== undefined);
  if (named.length > 0) {
    const runs = named.map((choice) => resolveOne(ctx, choice));
    if (runs.some((run) => run === undefined)) return refused(refusal('no-run', 'error.no_run'));
    if (named.length === 1) {
      const mine = ctx.services.runs.lastRun(ctx.guildId, ctx.user.id);
      if (mine && mine.runId !== runs[0]!.runId) runs.push(mine);
    }
    return { ok: true, value: runs as StoredRun[] };
  }
  if (options.exercise !== undefined) {
    return { ok: true, value: ctx.services.runs.runsOfExercise(ctx.guildId, options.exercise).slice(-MAX_COMPARED) };
  }
  return { ok: true, value: ctx.services.runs.history({ guildId: ctx.guildId, userId: ctx.user.id, limit: 2 }).reverse() };
}

/** "My last run", classmates' last runs, then runs matching what was typed. */
export async function compareAutocomplete(ctx: CommandContext, typed: string): Promise<{ name: string; value: string }[]> {
  const recent = ctx.services.runs.recentOwners(ctx.guildId, 200);
  const owners = [...new Map(recent.map((run) => [run.ownerId, run.ownerName])).entries()];
  const lastRuns = owners.map(([id, name]) => ({
    name: id === ctx.user.id ? ctx.t('compare.my_last') : ctx.t('compare.last_of', { user: name }),
    value: `last:${id}`,
  }));
  const wanted = typed.trim().toLowerCase();
  const matchingLast = lastRuns.filter((choice) => wanted === '' || choice.name.toLowerCase().includes(wanted));
  matchingLast.sort((a, b) => Number(b.value === `last:${ctx.user.id}`) - Number(a.value === `last:${ctx.user.id}`));
  return [...matchingLast, ...(await runAutocomplete(ctx, typed))].slice(0, 25).map((choice) => ({ ...choice, name: choice.name.slice(0, 100) }));
}
