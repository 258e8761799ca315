import type { Term } from '../store/terms';
import type { StoredRun } from '../store/runs';
import type { Translate } from '../i18n/translate';
import type { Answer, CommandContext } from './command';
import { formatAccuracy } from './format';
import { describeStop } from './stop-description';

const HISTORY_LENGTH = 15;

/** What a history line adds about a run: the term it belongs to, if an earlier one, and whether a teacher removed it. */
function runNotes(t: Translate, run: StoredRun, current: Term | null): string {
  const earlier = current !== null && run.createdAt < current.startedAt;
  const term = !earlier ? '' : run.term === null ? t('history.before_terms') : t('history.term', { term: run.term });
  return term + (run.removedAt === null ? '' : t('history.removed'));
}

/** A student's last runs, one line each, of every term. */
export function historyAnswer(ctx: CommandContext, user: { id: string; name: string }): Answer {
  const { t } = ctx;
  const runs = ctx.services.runs.history({ guildId: ctx.guildId, userId: user.id, limit: HISTORY_LENGTH });
  if (runs.length === 0) return { content: t('history.empty', { user: user.name }), data: { runs: [] } };
  const current = ctx.services.terms.current(ctx.guildId);
  const lines = runs.map((run) =>
    t('history.line', {
      runId: run.runId,
      date: new Date(run.createdAt).toISOString().slice(0, 16).replace('T', ' '),
      what: `${run.exercise === null ? t('history.train') : t('history.exercise', { number: run.exercise })}, ${run.spec.epochs} × ${run.spec.hiddenUnits}${run.spec.extraLayerUnits ? `+${run.spec.extraLayerUnits}` : ''}, ${run.spec.optimizer}, batch ${run.spec.batchSize}`,
      result: run.result.evaluation ? formatAccuracy(run.result.evaluation.testAccuracy) : describeStop(t, run.spec, run.result.stopReason),
      notes: runNotes(t, run, current),
    }),
  );
  return {
    embeds: [{ title: t('history.title', { user: user.name }), description: lines.join('\n') }],
    data: {
      runs: runs.map((run) => ({ runId: run.runId, exercise: run.exercise, testAccuracy: run.result.evaluation?.testAccuracy ?? null, term: run.term, removed: run.removedAt !== null })),
    },
  };
}
