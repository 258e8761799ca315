import { z } from 'zod';

export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  seconds: z.number(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

/** Running figures of the epoch in progress, sent at a modest rate for the progress message. */
export const batchProgressSchema = z.object({
  epoch: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: z.number(),
  accuracy: z.number(),
});
export type BatchProgress = z.infer<typeof batchProgressSchema>;

/**
 * Why a run failed in a way a student should understand. The code picks the sentence from the
 * message catalogue; params fill it in.
 */
export const runFailureSchema = z.object({
  code: z.enum(['shape-mismatch', 'label-out-of-range', 'diverged', 'trainer-crashed', 'trainer-unreachable', 'disk-full', 'over-limits', 'interrupted-by-restart', 'device-lost', 'worker-lost', 'worker-stopped', 'queue-lost', 'model-too-large', 'internal']),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  detail: z.string().default(''),
});
export type RunFailure = z.infer<typeof runFailureSchema>;

export const stopReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('completed') }),
  z.object({ kind: z.literal('target-reached'), epoch: z.number().int(), accuracy: z.number() }),
  z.object({ kind: z.literal('early-stopped'), epoch: z.number().int(), bestEpoch: z.number().int() }),
  z.object({ kind: z.literal('cancelled'), epoch: z.number().int() }),
  z.object({ kind: z.literal('failed'), failure: runFailureSchema }),
]);
export type StopReason = z.infer<typeof stopReasonSchema>;

export const evaluationSchema = z.object({
  testLoss: z.number(),
  testAccuracy: z.number(),
  /** Accuracy on the test images of each of the ten classes. */
  perClassAccuracy: z.array(z.number()),
  /** confusionMatrix[trueClass][predictedClass] = count of test images. */
  confusionMatrix: z.array(z.array(z.number().int())),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

export const runResultSchema = z.object({
  runId: z.string(),
  epochs: z.array(epochMetricsSchema),
  stopReason: stopReasonSchema,
  evaluation: evaluationSchema.nullable(),
  backend: z.string(),
  seconds: z.number(),
  secondsPerEpoch: z.number().nullable(),
  trainExamples: z.number().int(),
  modelPath: z.string().nullable(),
});
export type RunResult = z.infer<typeof runResultSchema>;
