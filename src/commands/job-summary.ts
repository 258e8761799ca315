import { trainingPayloadSchema } from '../jobs/queue';
import { experimentSpecSchema } from '../experiments/spec';
import type { Translate } from '../i18n/translate';
import type { JobRow } from '../store/jobs';
import { describeSettings } from './run-answer';

/** A queued job in a few words: its exercise or settings and its epochs. */
export function describeJob(t: Translate, job: JobRow): string {
  const payload = trainingPayloadSchema.safeParse(job.payload);
  if (!payload.success) return job.kind;
  // Stored specs are checked for shape only, so a limit lowered later does not hide old jobs.
  const spec = experimentSpecSchema({ maxEpochs: Infinity, maxUnits: Infinity, maxBatchSize: Infinity }).safeParse(payload.data.spec);
  const exercise = payload.data.exercise === null ? '' : `${t('command.exercise.name')} ${payload.data.exercise} · `;
  if (!spec.success) return `${exercise}${payload.data.runId}`;
  return `${exercise}${spec.data.epochs} × ${describeSettings(t, spec.data)}`;
}
