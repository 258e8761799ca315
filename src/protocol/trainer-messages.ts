import { z } from 'zod';
import { backendReportSchema } from './backend-report';
import { batchProgressSchema, epochMetricsSchema, runFailureSchema, runResultSchema } from '../experiments/results';

/**
 * The messages between the bot process and the trainer process. Both sides parse what they
 * receive with these schemas; anything else is logged and ignored.
 */
const specJson = z.record(z.string(), z.unknown());

/** Which trained model answers a prediction. */
export const modelRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), path: z.string() }),
  z.object({ kind: z.literal('class-model'), path: z.string() }),
]);
export type ModelRef = z.infer<typeof modelRefSchema>;

/** What to predict: a test image by index, or a preprocessed photo (784 values in 0-1). */
export const predictionInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('test-image'), index: z.number().int().min(0).max(9999) }),
  z.object({ kind: z.literal('pixels'), pixels: z.array(z.number().min(0).max(1)).length(784) }),
]);
export type PredictionInput = z.infer<typeof predictionInputSchema>;

export const toTrainerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('train'),
    jobId: z.string(),
    runId: z.string(),
    spec: specJson,
    modelDir: z.string().nullable(),
    /** The most training images this job may use (its server's limit); never more than the trainer's own cap. */
    trainExamples: z.number().int().min(1).optional(),
  }),
  z.object({ type: z.literal('train-class-model'), jobId: z.string(), folder: z.string() }),
  z.object({ type: z.literal('cancel'), jobId: z.string() }),
  /** Lets a job held between two epochs go on (TRAINER_HOLD_AFTER_EPOCH, a hold for tests). */
  z.object({ type: z.literal('release') }),
  z.object({
    type: z.literal('predict'),
    requestId: z.string(),
    model: modelRefSchema,
    input: predictionInputSchema,
    normalize: z.boolean(),
  }),
]);
export type ToTrainer = z.infer<typeof toTrainerSchema>;

export const classModelReportSchema = z.object({
  testAccuracy: z.number(),
  seconds: z.number(),
  epochs: z.array(epochMetricsSchema),
});
export type ClassModelReport = z.infer<typeof classModelReportSchema>;

export const readySchema = z.object({
  type: z.literal('ready'),
  backend: backendReportSchema,
  dataSource: z.string(),
  trainExamples: z.number().int(),
});
export type TrainerReady = z.infer<typeof readySchema>;

/** How far the trainer's first download of Fashion-MNIST has come (no copy was found on disk). */
export const downloadProgressSchema = z.object({ file: z.string(), receivedBytes: z.number(), totalBytes: z.number().nullable() });
export type DownloadProgress = z.infer<typeof downloadProgressSchema>;

export const fromTrainerSchema = z.discriminatedUnion('type', [
  readySchema,
  z.object({ type: z.literal('download-progress'), progress: downloadProgressSchema }),
  z.object({ type: z.literal('startup-failed'), message: z.string() }),
  z.object({ type: z.literal('epoch'), jobId: z.string(), metrics: epochMetricsSchema }),
  z.object({ type: z.literal('batch'), jobId: z.string(), progress: batchProgressSchema }),
  z.object({ type: z.literal('result'), jobId: z.string(), result: runResultSchema, liveTensors: z.number().int() }),
  z.object({ type: z.literal('class-model-result'), jobId: z.string(), report: classModelReportSchema.nullable(), liveTensors: z.number().int() }),
  z.object({ type: z.literal('job-failed'), jobId: z.string(), failure: runFailureSchema, liveTensors: z.number().int() }),
  z.object({
    type: z.literal('prediction'),
    requestId: z.string(),
    probabilities: z.array(z.number()),
    /** The 28x28 grey image the model saw (bytes 0-255) and, for a test image, its true label. */
    seen: z.array(z.number().int().min(0).max(255)),
    label: z.number().int().nullable(),
  }),
  z.object({ type: z.literal('prediction-failed'), requestId: z.string(), failure: runFailureSchema }),
]);
export type FromTrainer = z.infer<typeof fromTrainerSchema>;
