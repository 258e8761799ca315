/**
 * How a WebGPU run's work reached the device, in figures that mean something on any adapter
 * (SwiftShader included): compute dispatches per training step, command buffers submitted per
 * epoch, and for the fused trainer the CPU time spent encoding and submitting an epoch.
 */
import type { DeviceWork } from '../src/trainer/fused/fused-engine';

export interface WebgpuWork {
  dispatchesPerStep: number;
  submitsPerEpoch: number;
  hostSecondsPerEpoch?: number;
}

/**
 * From the fused engine's own counts over one epoch of `examples` (the difference of two
 * readings), scaled to `fullSteps` steps. Submits scale by steps, which holds when the epoch
 * measured spans whole groups of steps (2,048 examples or more).
 */
export function fusedWork(before: DeviceWork, after: DeviceWork, fullSteps: number): WebgpuWork {
  const steps = after.steps - before.steps;
  return {
    dispatchesPerStep: (after.dispatches - before.dispatches) / steps,
    submitsPerEpoch: ((after.submits - before.submits) / steps) * fullSteps,
    hostSecondsPerEpoch: ((after.hostSeconds - before.hostSeconds) / steps) * fullSteps,
  };
}

interface Counted {
  dispatches: number;
  submits: number;
}

/**
 * Counts what stock tfjs-backend-webgpu dispatches and submits, by wrapping the methods of the
 * `webgpu` package's classes (installed as globals by the backend loader) from now on.
 */
export function countDispatches(): Counted {
  const counted: Counted = { dispatches: 0, submits: 0 };
  const scope = globalThis as unknown as { GPUComputePassEncoder: { prototype: GPUComputePassEncoder }; GPUQueue: { prototype: GPUQueue } };
  const pass = scope.GPUComputePassEncoder.prototype;
  const queue = scope.GPUQueue.prototype;
  const dispatch = pass.dispatchWorkgroups;
  const submit = queue.submit;
  pass.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
    counted.dispatches += 1;
    return dispatch.apply(this, args);
  };
  queue.submit = function (this: GPUQueue, ...args: Parameters<GPUQueue['submit']>) {
    counted.submits += 1;
    return submit.apply(this, args);
  };
  return counted;
}
