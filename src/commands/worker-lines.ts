import type { Translate } from '../i18n/translate';
import type { WorkerBeat } from '../protocol/worker-messages';
import { momentMarkup } from './format';

/** One line per worker behind Redis for `/status`: host, backend, busy, idle or stopping, jobs done, last seen. */
export function workerLines(t: Translate, workers: readonly WorkerBeat[]): string {
  if (workers.length === 0) return t('workers.none');
  return workers
    .map((worker) => {
      const params = { host: worker.host, backend: worker.backend ?? t('trainers.not_started'), trainers: worker.trainers, done: worker.jobsDone, seen: momentMarkup(worker.seenAt) };
      const jobs = worker.jobIds.map((id) => `#${id}`).join(', ');
      if (worker.stopping) return t('workers.stopping', { ...params, jobs: jobs || '—' });
      return worker.jobIds.length === 0 ? t('workers.idle', params) : t('workers.busy', { ...params, jobs });
    })
    .join('\n');
}
