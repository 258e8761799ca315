/**
 * What bench.ts and its measurement children (measure.ts) say to each other: the job on the
 * command line, the answer over the IPC channel.
 */
import { z } from 'zod';

export const FULL_EPOCH = 60000;

export const measurementJobSchema = z.object({
  backend: z.enum(['tensorflow', 'webgpu', 'onnx', 'wasm', 'cpu']),
  /** fused: a fused engine (the WGSL trainer for webgpu, the CPU engine for onnx) trains, not TensorFlow.js. */
  variant: z.enum(['fast', 'stock', 'fused']),
  /** CPU threads of the fused CPU engine. */
  threads: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  examples: z.number().int().min(1).max(FULL_EPOCH),
});
export type MeasurementJob = z.infer<typeof measurementJobSchema>;

export const measurementSchema = z.object({
  /** For a full epoch of 60,000 examples (extrapolated when fewer were trained). */
  secondsPerEpoch: z.number(),
  samplesPerSecond: z.number(),
  peakRssMb: z.number(),
  /** CPU time of the whole run, scaled like secondsPerEpoch: far below it when the machine was busy. */
  cpuSecondsPerEpoch: z.number(),
  /** The threads the fused CPU engine trained on; absent for the others. */
  threads: z.number().int().min(1).optional(),
  /** WebGPU only: the adapter, and how the work reached it (see webgpu-work.ts). */
  adapter: z.object({ vendor: z.string(), architecture: z.string(), description: z.string() }).optional(),
  dispatchesPerStep: z.number().optional(),
  submitsPerEpoch: z.number().optional(),
  hostSecondsPerEpoch: z.number().optional(),
});
export type Measurement = z.infer<typeof measurementSchema>;

/** What the child sends back: a measurement, or why the backend could not run. */
export const childMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('measured'), measurement: measurementSchema }),
  z.object({ kind: z.literal('unavailable'), reason: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;
