import type { StoredRun } from '../store/runs';
import type { CommandContext } from './command';
import { formatAccuracy } from './format';
import type { Parsed } from './options';

/**
 * A run by id (in this server), or the user's latest run that saved a model. A student without
 * one is told how to train their first.
 */
export function findRunWithModel(ctx: CommandContext, runId: string | undefined): Parsed<StoredRun> {
  const { runs } = ctx.services;
  if (runId === undefined) {
    const latest = runs.history({ guildId: ctx.guildId, userId: ctx.user.id, limit: 50 }).find((candidate) => candidate.result.modelPath !== null);
    return latest ? { ok: true, value: latest } : { ok: false, message: ctx.t('error.no_model_yet') };
  }
  const run = runs.getRun(runId.trim());
  if (!run || run.guildId !== ctx.guildId) return { ok: false, message: ctx.t('error.no_run') };
  if (!run.result.modelPath) return { ok: false, message: ctx.t('error.no_model', { runId: run.runId }) };
  return { ok: true, value: run };
}

/** Autocomplete choices for a run option: the user's and classmates' runs matching what was typed. */
export async function runAutocomplete(ctx: CommandContext, typed: string): Promise<{ name: string; value: string }[]> {
  return ctx.services.runs.searchRuns(ctx.guildId, typed, 25).map((run) => ({
    name: `${run.runId} · ${run.ownerName}${run.result.evaluation ? ` · ${formatAccuracy(run.result.evaluation.testAccuracy)}` : ''}`.slice(0, 100),
    value: run.runId,
  }));
}
