import type { Translate } from '../i18n/translate';
import type { TrainerView } from '../jobs/trainer-pool';

/** One line per trainer for `/queue` and `/status`: its backend, busy or idle, and jobs done. */
export function trainerLines(t: Translate, trainers: readonly TrainerView[]): string {
  return trainers
    .map((trainer) => {
      const params = { number: trainer.number, backend: trainer.backend ?? t('trainers.not_started'), done: trainer.jobsDone };
      return trainer.jobId === null ? t('trainers.idle', params) : t('trainers.busy', { ...params, jobId: trainer.jobId });
    })
    .join('\n');
}
