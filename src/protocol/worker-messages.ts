import { z } from 'zod';
import { batchProgressSchema, epochMetricsSchema, runFailureSchema, runResultSchema } from '../experiments/results';
import { classModelReportSchema } from './trainer-messages';

/**
 * What the bot and the workers of other machines say to each other through Redis (BullMQ job
 * data, progress and return values, heartbeat keys, the cancel channel). Both sides parse what
 * they read with these schemas.
 */
export const TRAINING_QUEUE = 'fashion-lab-training';
/** Where each worker says it is alive and what it holds (a key that expires unless renewed). */
export const WORKER_KEY_PREFIX = 'fashion-lab:worker:';
/** Published BullMQ ids of jobs to stop; also set as a key, read by a worker as it takes a job. */
export const CANCEL_CHANNEL = 'fashion-lab:cancel';
export const CANCEL_KEY_PREFIX = 'fashion-lab:cancelled:';
/** Why a worker failed the jobs in hand when told twice to stop (the bot tells the student so). */
export const WORKER_STOPPED = 'the worker was stopped before the job ended';

/**
 * The BullMQ id of a job: its SQLite id with the run's id (BullMQ refuses whole numbers, and a
 * fresh database counts from 1 again while Redis still holds the jobs of the old one).
 */
export function remoteJobId(job: RemoteJob): string {
  return job.kind === 'train' ? `job-${job.jobId}-${job.runId}` : `job-${job.jobId}-class-model`;
}

export const remoteJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('train'),
    jobId: z.string(),
    runId: z.string(),
    spec: z.record(z.string(), z.unknown()),
    trainExamples: z.number().int().min(1).optional(),
  }),
  z.object({ kind: z.literal('class-model'), jobId: z.string() }),
]);
export type RemoteJob = z.infer<typeof remoteJobSchema>;

export const remoteProgressSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('epoch'), metrics: epochMetricsSchema }),
  z.object({ type: z.literal('batch'), progress: batchProgressSchema }),
]);
export type RemoteProgress = z.infer<typeof remoteProgressSchema>;

/** A trained model's files (model.json, weights.bin), base64, to be written where the bot keeps models. */
export const modelFileSchema = z.object({ name: z.string().regex(/^[\w-][\w.-]*$/), base64: z.string() });
export type ModelFile = z.infer<typeof modelFileSchema>;

export const remoteOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), result: runResultSchema, liveTensors: z.number().int(), files: z.array(modelFileSchema) }),
  z.object({ kind: z.literal('class-model'), report: classModelReportSchema.nullable(), liveTensors: z.number().int(), files: z.array(modelFileSchema) }),
  z.object({ kind: z.literal('failed'), failure: runFailureSchema, liveTensors: z.number().int().nullable() }),
]);
export type RemoteOutcome = z.infer<typeof remoteOutcomeSchema>;

export const workerBeatSchema = z.object({
  id: z.string(),
  host: z.string(),
  backend: z.string().nullable(),
  trainers: z.number().int().min(1),
  /** The SQLite ids of the jobs it trains now (none: idle). */
  jobIds: z.array(z.string()),
  jobsDone: z.number().int().min(0),
  /** Told to stop: it takes no more jobs, and ends once the ones in hand have. */
  stopping: z.boolean(),
  /** Milliseconds since 1970. */
  seenAt: z.number(),
});
export type WorkerBeat = z.infer<typeof workerBeatSchema>;
