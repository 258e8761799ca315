import type { StoredRun } from '../store/runs';
import type { CommandContext } from './command';
import { formatAccuracy } from './format';
import { refusal, refused, type Checked } from './refusal';

const NO_RUN = refusal('no-run', 'error.no_run');

/** A run of this server, by id. */
export function findRun(ctx: CommandContext, runId: string): Checked<StoredRun> {
  const run = ctx.services.runs.getRun(runId.trim());
  return run && run.guildId === ctx.guildId ? { ok: true, value: run } : refused(NO_RUN);
}

/**
 * A run by id (in this server), or the user's latest run that saved a model. A student without
 * one is told how to train their first.
 */
export function findRunWithModel(ctx: CommandContext, runId: string | undefined): Checked<StoredRun> {
  const { runs } = ctx.services;
  if (runId === undefined) {
    const latest = runs.history({ guildId: ctx.guildId, userId: ctx.user.id, limit: 50 }).find((candidate) => candidate.result.modelPath !== null);
    return latest ? { ok: true, value: latest } : refused(refusal('no-model-yet', 'error.no_model_yet'));
  }
  const run = runs.getRun(runId.trim());
  if (!run || run.guildId !== ctx.guildId) return refused(NO_RUN);
  if (!run.result.modelPath) return refused(refusal('no-run', 'error.no_model', { runId: run.runId }));
  return { ok: true, value: run };
}

/** Autocomplete choices for a run option: the user's and classmates' runs matching what was typed (the removed ones, when asked). */
export async function runAutocomplete(ctx: CommandContext, typed: string, which: 'shown' | 'removed' = 'shown'): Promise<{ name: string; value: string }[]> {
  return ctx.services.runs.searchRuns(ctx.guildId, typed, 25, which).map((run) => ({
    name: `${run.runId} · ${run.ownerName}${run.result.evaluation ? ` · ${formatAccuracy(run.result.evaluation.testAccuracy)}` : ''}`.slice(0, 100),
    value: run.runId,
  }));
}
