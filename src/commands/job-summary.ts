import { trainingPayloadSchema } from '../jobs/queue';
import { storedSpecSchema } from '../experiments/spec';
import type { Translate } from '../i18n/translate';
import type { JobRow } from '../store/jobs';
import { describeSettings } from './settings-description';

/** A queued job in a few words: its exercise or settings and its epochs. */
export function describeJob(t: Translate, job: JobRow): string {
  const payload = trainingPayloadSchema.safeParse(job.payload);
  if (!payload.success) return job.kind;
  const spec = storedSpecSchema.safeParse(payload.data.spec);
  const exercise = payload.data.exercise === null ? '' : `${t('command.exercise.name')} ${payload.data.exercise} · `;
  if (!spec.success) return `${exercise}${payload.data.runId}`;
  return `${exercise}${spec.data.epochs} × ${describeSettings(t, spec.data)}`;
}
