import type { Exercise } from '../experiments/exercises';
import type { ExperimentSpec } from '../experiments/spec';
import type { Translate } from '../i18n/translate';
import type { StoredRun } from '../store/runs';
import { formatAccuracy, formatLoss, formatSeconds } from './format';
import { exerciseKey, type ExerciseText } from './message-keys';
import { describeStop } from './stop-description';

const key = (exercise: Exercise, part: ExerciseText) => exerciseKey(exercise.number, part);

/** What the exercise is about, shown before the run. */
export function exerciseIntro(t: Translate, exercise: Exercise, spec: ExperimentSpec): string {
  const params = { epochs: spec.epochs, target: spec.stopAtAccuracy ?? '', patience: spec.earlyStoppingPatience ?? '' };
  return t('exercise.intro', {
    number: exercise.number,
    title: t(key(exercise, 'title')),
    what: t(key(exercise, 'what'), params),
    notice: t(key(exercise, 'notice')),
  });
}

/** The validation loss's lowest point, to tell whether and where overfitting began. */
function bestValidationEpoch(run: StoredRun): { epoch: number; valLoss: number } | null {
  let best: { epoch: number; valLoss: number } | null = null;
  for (const metrics of run.result.epochs) {
    if (metrics.valLoss !== null && (!best || metrics.valLoss < best.valLoss)) best = { epoch: metrics.epoch, valLoss: metrics.valLoss };
  }
  return best;
}

/** What happened in the run and why, in the words of the exercise (DESIGN.md's list). */
export function exerciseAfterword(t: Translate, exercise: Exercise, run: StoredRun): string {
  const { result, spec } = run;
  const last = result.epochs.at(-1);
  const accuracy = result.evaluation ? formatAccuracy(result.evaluation.testAccuracy) : '-';
  const loss = last ? formatLoss(last.loss) : '-';
  switch (exercise.number) {
    case 2:
      return t('exercise.2.after', { units: spec.hiddenUnits, secondsPerEpoch: formatSeconds(result.secondsPerEpoch ?? 0), accuracy, loss });
    case 6: {
      const best = bestValidationEpoch(run);
      const first = result.epochs[0];
      if (!best || !first || !last || last.valLoss === null) return '';
      // Overfitting shows once the validation loss ends clearly above its lowest point.
      const overfit = best.epoch < last.epoch && last.valLoss > best.valLoss * 1.05;
      return t('exercise.6.after', {
        firstLoss: formatLoss(first.loss),
        lastLoss: formatLoss(last.loss),
        bestEpoch: best.epoch,
        bestValLoss: formatLoss(best.valLoss),
        lastValLoss: formatLoss(last.valLoss),
        verdict: overfit ? t('exercise.6.overfit', { bestEpoch: best.epoch }) : t('exercise.6.no_overfit'),
      });
    }
    case 8:
      return t('exercise.8.after', { planned: spec.epochs, reason: describeStop(t, spec, result.stopReason) });
    default:
      return t(key(exercise, 'after'), { accuracy, loss });
  }
}
