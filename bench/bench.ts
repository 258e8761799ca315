/**
 * `npm run bench [-- --json FILE --backends wasm,cpu --batch-sizes 32,128 --examples N]`
 *
 * Trains one epoch of the course model (784-512-10, Adam) on Fashion-MNIST through the real
 * training loop for every backend, variant and batch size, each in its own child process, and
 * prints seconds per epoch, samples per second and peak RSS, plus the speed-up of the wasm fast
 * path over stock tfjs-backend-wasm; then the store's heaviest reads (`--store-queries` for those alone).
 * With onnx (the fused CPU engine, on --threads cores, TRAINER_THREADS or every core by default),
 * PyTorch runs the same epoch on as many threads when python3 has torch, and the ratios are printed.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { defaultThreads, describeAdapter } from '../src/trainer/backend';
import { DEBIAN_DATASET_DIR } from '../src/trainer/dataset';
import { FULL_EPOCH, childMessageSchema, type ChildMessage, type Measurement, type MeasurementJob } from './measurement-messages';
import { measurePytorch, pytorchAvailable } from './pytorch-peer';
import { benchStoreQueries } from './store-queries';

const BACKENDS = ['tensorflow', 'webgpu', 'onnx', 'wasm', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];
/** PyTorch is no backend of ours: the peer the fused CPU engine is measured against. */
type MeasuredBackend = Backend | 'pytorch';
type Variant = MeasurementJob['variant'];

/** The cpu backend takes about 370 s per epoch at batch 32, so it runs only when asked for. */
const DEFAULT_BACKENDS: Backend[] = ['tensorflow', 'webgpu', 'onnx', 'wasm'];

const commaList = z.string().transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean));

const optionsSchema = z.object({
  json: z.string().min(1).optional(),
  backends: commaList.pipe(z.array(z.enum(BACKENDS)).min(1)).optional(),
  'batch-sizes': commaList.pipe(z.array(z.coerce.number<string>().int().min(1).max(FULL_EPOCH)).min(1)).default([32, 128]),
  examples: z.coerce.number().int().min(1).max(FULL_EPOCH).default(FULL_EPOCH),
  threads: z.coerce.number().int().min(1).max(256).optional(),
  'store-queries': z.boolean().default(false),
});
type Options = z.infer<typeof optionsSchema>;

/** One entry of the --json file, exactly the fields DESIGN.md names. */
interface BenchResult {
  backend: MeasuredBackend;
  variant: Variant;
  /** CPU threads, for the fused CPU engine and PyTorch. */
  threads?: number;
  batchSize: number;
  secondsPerEpoch: number;
  samplesPerSecond: number;
  peakRssMb: number;
  /** WebGPU entries: the adapter and how the work reached it (bench/webgpu-work.ts). */
  adapter?: Measurement['adapter'];
  dispatchesPerStep?: number;
  submitsPerEpoch?: number;
  hostSecondsPerEpoch?: number;
}

interface Measured extends BenchResult {
  cpuSecondsPerEpoch: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'string' },
      backends: { type: 'string' },
      'batch-sizes': { type: 'string' },
      examples: { type: 'string' },
      threads: { type: 'string' },
      'store-queries': { type: 'boolean' },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`);
    throw new Error(`Invalid benchmark options:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** A single-threaded run that got less CPU than this share of the wall-clock time was starved. */
const BUSY_RATIO = 0.8;

/**
 * The wasm backend is measured twice: with the fast path and as shipped; webgpu as the fused WGSL
 * trainer and stock tfjs-backend-webgpu; onnx is the fused CPU engine.
 */
function variantsOf(backend: Backend): Variant[] {
  if (backend === 'onnx') return ['fused'];
  if (backend === 'webgpu') return ['fused', 'stock'];
  return backend === 'wasm' ? ['fast', 'stock'] : ['stock'];
}

/** Runs one measurement in a fresh child process, so that its peak RSS is its own. */
function runChild(job: MeasurementJob): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'measure.ts'), [JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    let message: ChildMessage | null = null;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('message', (raw) => {
      message = childMessageSchema.parse(raw);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (message) resolve(message);
      else reject(new Error(`the measurement child exited with code ${code}:\n${stderr.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function formatTable(results: Measured[]): string {
  const header = ['backend', 'variant', 'threads', 'batch', 's/epoch', 'samples/s', 'peak RSS MB', 'CPU s'];
  const rows = results.map((r) => [
    r.backend,
    r.variant,
    r.threads === undefined ? '' : String(r.threads),
    String(r.batchSize),
    r.secondsPerEpoch.toFixed(2),
    r.samplesPerSecond.toFixed(0),
    r.peakRssMb.toFixed(0),
    r.cpuSecondsPerEpoch.toFixed(2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** "batch 32: 4.1x" for every batch size where both wasm variants were measured. */
function wasmSpeedUps(results: BenchResult[]): string[] {
  const find = (variant: Variant, batchSize: number) =>
    results.find((r) => r.backend === 'wasm' && r.variant === variant && r.batchSize === batchSize);
  return [...new Set(results.map((r) => r.batchSize))].flatMap((batchSize) => {
    const fast = find('fast', batchSize);
    const stock = find('stock', batchSize);
    return fast && stock ? [`batch ${batchSize}: ${(stock.secondsPerEpoch / fast.secondsPerEpoch).toFixed(2)}x`] : [];
  });
}

/** "batch 32: fused 1.40x PyTorch, 9.8x wasm" for every batch size where the fused CPU engine ran. */
function fusedRatios(results: BenchResult[]): string[] {
  const find = (backend: MeasuredBackend, variant: Variant, batchSize: number) =>
    results.find((r) => r.backend === backend && r.variant === variant && r.batchSize === batchSize);
  return [...new Set(results.map((r) => r.batchSize))].flatMap((batchSize) => {
    const fused = find('onnx', 'fused', batchSize);
    if (!fused) return [];
    const peers = [
      { name: 'PyTorch', result: find('pytorch', 'stock', batchSize) },
      { name: 'the wasm fast path', result: find('wasm', 'fast', batchSize) },
    ].flatMap(({ name, result }) => (result ? [`${(result.secondsPerEpoch / fused.secondsPerEpoch).toFixed(2)}x ${name}`] : []));
    return peers.length ? [`batch ${batchSize}: the fused CPU engine runs at ${peers.join(', ')}`] : [];
  });
}

function resultOf(backend: MeasuredBackend, variant: Variant, batchSize: number, measurement: Measurement): Measured {
  const { secondsPerEpoch, samplesPerSecond, peakRssMb, cpuSecondsPerEpoch, threads, adapter, dispatchesPerStep, submitsPerEpoch, hostSecondsPerEpoch } = measurement;
  return {
    backend,
    variant,
    ...(threads === undefined ? {} : { threads }),
    batchSize,
    secondsPerEpoch: round(secondsPerEpoch, 2),
    samplesPerSecond: round(samplesPerSecond, 0),
    peakRssMb: round(peakRssMb, 1),
    cpuSecondsPerEpoch: round(cpuSecondsPerEpoch, 2),
    ...(adapter && { adapter }),
    ...(dispatchesPerStep !== undefined && { dispatchesPerStep: round(dispatchesPerStep, 2) }),
    ...(submitsPerEpoch !== undefined && { submitsPerEpoch: round(submitsPerEpoch, 0) }),
    ...(hostSecondsPerEpoch !== undefined && { hostSecondsPerEpoch: round(hostSecondsPerEpoch, 3) }),
  };
}

/** "webgpu fused batch 32: 5 dispatches per step, ..." for every WebGPU entry, and the fused trainer's speed-up over stock. */
function webgpuLines(results: BenchResult[]): string[] {
  const lines = results.flatMap((r) =>
    r.backend === 'webgpu' && r.dispatchesPerStep !== undefined
      ? [
          `webgpu ${r.variant} batch ${r.batchSize}: ${r.dispatchesPerStep.toFixed(1)} dispatches per step, ${r.submitsPerEpoch?.toFixed(0)} submits per epoch` +
            (r.hostSecondsPerEpoch === undefined ? '' : `, ${r.hostSecondsPerEpoch.toFixed(3)} s host time per epoch`) +
            (r.adapter ? ` (${describeAdapter(r.adapter)})` : ''),
        ]
      : [],
  );
  const find = (variant: Variant, batchSize: number) => results.find((r) => r.backend === 'webgpu' && r.variant === variant && r.batchSize === batchSize);
  const ratios = [...new Set(results.map((r) => r.batchSize))].flatMap((batchSize) => {
    const fused = find('fused', batchSize);
    const stock = find('stock', batchSize);
    return fused && stock ? [`batch ${batchSize}: ${(stock.secondsPerEpoch / fused.secondsPerEpoch).toFixed(2)}x`] : [];
  });
  return ratios.length ? [...lines, `fused WGSL trainer over stock tfjs-backend-webgpu: ${ratios.join(', ')}`] : lines;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options['store-queries']) return benchStoreQueries();
  const backends = options.backends ?? DEFAULT_BACKENDS;
  if (!options.backends) console.log('The cpu backend is skipped (about 370 s per epoch); add --backends wasm,cpu to measure it.');
  if (options.examples < FULL_EPOCH) {
    console.log(`Training ${options.examples} examples per measurement; seconds per epoch are extrapolated to ${FULL_EPOCH}.`);
  }

  const config = loadConfig();
  const threads = options.threads ?? config.TRAINER_THREADS ?? defaultThreads();
  const results: Measured[] = [];
  const unavailable: string[] = [];
  for (const backend of backends) {
    jobs: for (const variant of variantsOf(backend)) {
      for (const batchSize of options['batch-sizes']) {
        const message = await runChild({ backend, variant, batchSize, examples: options.examples, threads });
        if (message.kind === 'unavailable') {
          unavailable.push(`${backend}: ${message.reason}`);
          break jobs;
        }
        const result = resultOf(backend, variant, batchSize, message.measurement);
        results.push(result);
        console.log(`${backend} ${variant} batch ${batchSize}: ${result.secondsPerEpoch} s per epoch, peak RSS ${result.peakRssMb} MB`);
      }
    }
  }

  if (backends.includes('onnx')) {
    const torch = pytorchAvailable();
    if (!torch.ok) unavailable.push(`pytorch: ${torch.reason}`);
    for (const batchSize of torch.ok ? options['batch-sizes'] : []) {
      const dataDir = config.FASHION_MNIST_DIR ?? DEBIAN_DATASET_DIR;
      const result = resultOf('pytorch', 'stock', batchSize, measurePytorch({ dataDir, batchSize, examples: options.examples, threads }));
      results.push(result);
      console.log(`pytorch batch ${batchSize}: ${result.secondsPerEpoch} s per epoch on ${threads} threads, peak RSS ${result.peakRssMb} MB`);
    }
  }

  console.log(`\n${formatTable(results)}`);
  if (results.some((r) => r.cpuSecondsPerEpoch < BUSY_RATIO * r.secondsPerEpoch)) {
    console.log('\nCPU time is well below wall-clock time: other processes competed for the CPU, so the timings are pessimistic.');
  }
  const speedUps = wasmSpeedUps(results);
  if (speedUps.length) console.log(`\nwasm fast path over stock tfjs-backend-wasm: ${speedUps.join(', ')}`);
  const ratios = fusedRatios(results);
  if (ratios.length) console.log(`\nSpeed of the fused CPU engine (${threads} threads) against the others:\n  ${ratios.join('\n  ')}`);
  const webgpu = webgpuLines(results);
  if (webgpu.length) console.log(`\n${webgpu.join('\n')}`);
  if (unavailable.length) console.log(`\nNot measured:\n  ${unavailable.join('\n  ')}`);
  if (options.json) {
    const entries: BenchResult[] = results.map(({ cpuSecondsPerEpoch: _cpu, ...entry }) => entry);
    fs.writeFileSync(options.json, `${JSON.stringify({ results: entries }, null, 2)}\n`);
    console.log(`\nWrote ${options.json}`);
  }
  await benchStoreQueries();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
