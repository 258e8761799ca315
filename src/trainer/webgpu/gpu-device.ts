/**
 * The WebGPU device of the fused trainer, and every buffer made on it. Buffers are counted so
 * that a test can prove none outlives the model or engine that made it; a lost device turns
 * every later (and every pending) operation into a DeviceLostError.
 */

/** GPUBufferUsage's values (fixed by the WebGPU spec; the package's globals may not be installed). */
export const Usage = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
const MAP_MODE_READ = 1;

/** The GPU device went away (driver reset, device.destroy()): the job ends with this reason. */
export class DeviceLostError extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`the GPU device was lost (${reason}${detail ? `: ${detail}` : ''}); the WebGPU trainer must start afresh`);
    this.name = 'DeviceLostError';
  }
}

/** A set of buffers destroyed together (those of one model, or the engine's data set). */
export class BufferSet {
  private readonly buffers = new Set<GPUBuffer>();

  constructor(readonly gpu: GpuDevice) {}

  create(label: string, size: number, usage: number): GPUBuffer {
    // WebGPU wants sizes in multiples of 4 and never 0.
    const buffer = this.gpu.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
    this.buffers.add(buffer);
    this.gpu.live += 1;
    return buffer;
  }

  /** A storage buffer filled with `data` at creation. */
  upload(label: string, data: ArrayBufferView, usage: number = Usage.STORAGE): GPUBuffer {
    const buffer = this.create(label, data.byteLength, usage | Usage.COPY_DST);
    this.gpu.write(buffer, 0, data);
    return buffer;
  }

  destroy(buffer: GPUBuffer): void {
    if (!this.buffers.delete(buffer)) return;
    buffer.destroy();
    this.gpu.live -= 1;
  }

  destroyAll(): void {
    for (const buffer of [...this.buffers]) this.destroy(buffer);
  }
}

export class GpuDevice {
  /** Buffers alive on this device, over all sets. */
  live = 0;
  private lostError: DeviceLostError | null = null;
  private readonly lostSignal: Promise<never>;

  private failure: Error | null = null;

  private constructor(readonly device: GPUDevice) {
    // A validation or out-of-memory error is a bug or a full device: the next operation fails with it.
    device.onuncapturederror = (event) => {
      this.failure ??= new Error(`WebGPU reported an error: ${event.error.message}`);
    };
    this.lostSignal = device.lost.then((info) => {
      this.lostError = new DeviceLostError(info.reason ?? 'unknown', info.message);
      throw this.lostError;
    });
    // Only races read this promise: without a reader, its rejection must not end the process.
    this.lostSignal.catch(() => undefined);
  }

  static async open(adapter: GPUAdapter): Promise<GpuDevice> {
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxBufferSize: limits.maxBufferSize,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      },
    });
    return new GpuDevice(device);
  }

  /** Queues a write of `data` into `buffer` at `offset` (ordered after the work submitted before it). */
  write(buffer: GPUBuffer, offset: number, data: ArrayBufferView): void {
    this.device.queue.writeBuffer(buffer, offset, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  }

  /**
   * Zeroes new buffers now. Dawn would clear each lazily on its first use, inside the first
   * training submit, where it would count as time spent on a step.
   */
  clear(buffers: GPUBuffer[]): void {
    const encoder = this.device.createCommandEncoder();
    for (const buffer of buffers) encoder.clearBuffer(buffer);
    this.device.queue.submit([encoder.finish()]);
  }

  /** Throws the DeviceLostError when the device is gone. */
  check(): void {
    if (this.lostError) throw this.lostError;
    if (this.failure) throw this.failure;
  }

  /** Waits for `promise`, or throws as soon as the device is lost. */
  async settle<T>(promise: Promise<T>): Promise<T> {
    this.check();
    return Promise.race([promise, this.lostSignal]);
  }

  /** Waits until everything submitted so far has run. */
  idle(): Promise<void> {
    return this.settle(this.device.queue.onSubmittedWorkDone());
  }

  /** Copies `bytes` bytes of `source` from `offset` back to the host. */
  async read(source: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    this.check();
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const staging = this.device.createBuffer({ label: 'read-back', size, usage: Usage.MAP_READ | Usage.COPY_DST });
    this.live += 1;
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, offset, staging, 0, size);
      this.device.queue.submit([encoder.finish()]);
      await this.settle(staging.mapAsync(MAP_MODE_READ));
      return staging.getMappedRange().slice(0, bytes);
    } finally {
      staging.destroy();
      this.live -= 1;
    }
  }

  destroy(): void {
    this.device.destroy();
  }
}
