/**
 * One benchmark measurement, run in a child process of bench.ts so that its peak RSS belongs to
 * this measurement alone: one epoch of the course model through the real training loop.
 */
import { loadConfig } from '../src/config';
import { defaultSpec } from '../src/experiments/spec';
import { BackendUnavailableError, selectBackend } from '../src/trainer/backend';
import { loadFashionMnist } from '../src/trainer/dataset';
import { runExperiment } from '../src/trainer/train';
import { disableWasmFastPath } from '../src/trainer/wasm-fast-path';
import { countDispatches, fusedWork } from './webgpu-work';
import { FULL_EPOCH, measurementJobSchema, type ChildMessage, type Measurement, type MeasurementJob } from './measurement-messages';

function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / 1e6;
}

async function measure(job: MeasurementJob): Promise<Measurement> {
  const { engine: choice } = await selectBackend(job.backend, { threads: job.threads });
  // The stock variant is tfjs-backend-wasm as shipped; selectBackend turns the fast path on.
  if (job.variant === 'stock') disableWasmFastPath();
  const config = loadConfig();
  const data = await loadFashionMnist({
    fashionMnistDir: config.FASHION_MNIST_DIR,
    dataDir: config.dataDir,
    mirror: config.FASHION_MNIST_MIRROR,
  });
  const engine = job.variant === 'fused' && choice ? await choice.create(data) : null;
  const spec = defaultSpec({ epochs: 1, batchSize: job.batchSize, seed: 1 });
  // A WebGPU driver compiles each pipeline on its first use: a few warm-up steps keep that out of the epoch.
  if (job.backend === 'webgpu') {
    await runExperiment(spec, data, { runId: 'warm-up', backend: job.backend, engine, modelDir: null, trainExamples: Math.min(job.examples, 4 * job.batchSize), evaluate: false });
  }
  const workBefore = engine?.deviceWork?.();
  const stockWebgpu = job.backend === 'webgpu' && !engine ? countDispatches() : null;
  const cpuBefore = process.cpuUsage();
  const result = await runExperiment(spec, data, {
    runId: `bench-${job.backend}-${job.variant}-${job.batchSize}`,
    backend: job.backend,
    engine,
    modelDir: null,
    trainExamples: job.examples,
    evaluate: false,
  });
  if (result.stopReason.kind !== 'completed') {
    throw new Error(`the benchmark run ended with ${JSON.stringify(result.stopReason)}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const workAfter = engine?.deviceWork?.();
  await engine?.dispose();
  const toFullEpoch = FULL_EPOCH / result.trainExamples;
  const steps = Math.ceil(result.trainExamples / job.batchSize);
  const fullSteps = Math.ceil(FULL_EPOCH / job.batchSize);
  const webgpu =
    workBefore && workAfter
      ? fusedWork(workBefore, workAfter, fullSteps)
      : stockWebgpu && { dispatchesPerStep: stockWebgpu.dispatches / steps, submitsPerEpoch: (stockWebgpu.submits / steps) * fullSteps };
  const samplesPerSecond = result.trainExamples / result.epochs[0].seconds;
  return {
    secondsPerEpoch: FULL_EPOCH / samplesPerSecond,
    samplesPerSecond,
    peakRssMb: peakRssMb(),
    cpuSecondsPerEpoch: ((cpu.user + cpu.system) / 1e6) * toFullEpoch,
    ...(engine && choice?.threads ? { threads: choice.threads } : {}),
    ...(job.backend === 'webgpu' && choice?.adapter ? { adapter: choice.adapter } : {}),
    ...webgpu,
  };
}

async function main(): Promise<void> {
  const job = measurementJobSchema.parse(JSON.parse(process.argv[2] ?? ''));
  let message: ChildMessage;
  try {
    message = { kind: 'measured', measurement: await measure(job) };
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    message = { kind: 'unavailable', reason: error.reasons.map((skip) => skip.reason).join('; ') };
  }
  if (!process.send) {
    console.log(JSON.stringify(message));
    process.exit(0);
  }
  // Exits once the message is out: a webgpu device could otherwise keep the process alive.
  process.send(message, () => process.exit(0));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
