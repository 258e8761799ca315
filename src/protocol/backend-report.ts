import { z } from 'zod';

/**
 * The names TRAINER_BACKEND accepts besides `auto`:
 * - webgpu: the fused WGSL trainer on a WebGPU adapter (tfjs-backend-webgpu for the rest);
 * - onnx: the fused CPU engine on onnxruntime-node, on every core (wasm for the rest);
 * - tensorflow: native TensorFlow through @tensorflow/tfjs-node(-gpu), when installed;
 * - wasm: TensorFlow.js on WebAssembly with our fast path; cpu: plain JavaScript.
 */
export const BACKEND_NAMES = ['webgpu', 'onnx', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** A WebGPU adapter as /status names it. */
export const adapterInfoSchema = z.object({ vendor: z.string(), architecture: z.string(), description: z.string() });
export type AdapterInfo = z.infer<typeof adapterInfoSchema>;

/** Which backend a trainer runs, what trains the experiments, and why faster ones were skipped. */
export const backendReportSchema = z.object({
  name: z.enum(BACKEND_NAMES),
  detail: z.string(),
  /** Our wasm fast path is on. */
  fastPath: z.boolean(),
  /** The fused engine that trains the experiments; null when TensorFlow.js trains them. */
  engine: z
    .object({
      name: z.string(),
      /** CPU threads it trains on (the CPU engine). */
      threads: z.number().int().min(1).nullable(),
      /** The GPU it trains on (the WebGPU engine). */
      adapter: adapterInfoSchema.nullable(),
    })
    .nullable(),
  skipped: z.array(z.object({ backend: z.string(), reason: z.string() })),
});
export type BackendReport = z.infer<typeof backendReportSchema>;
