import os from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import type { AdapterInfo, BackendName, BackendReport } from '../protocol/backend-report';
import type { FashionMnist } from './dataset';
import type { FusedEngine } from './fused/fused-engine';
import { createOnnxEngine } from './onnx/onnx-engine';
import { enableWasmFastPath } from './wasm-fast-path';
import { createWebgpuEngine } from './webgpu/webgpu-engine';

export type BackendPreference = 'auto' | BackendName;

/** A fused engine as selected: what /status says of it, and how to make it once the data set is loaded. */
export interface EngineChoice {
  name: string;
  threads: number | null;
  adapter: AdapterInfo | null;
  create(data: FashionMnist): Promise<FusedEngine>;
}

/** What a loader makes ready: the active TensorFlow.js backend, and the fused engine when there is one. */
export interface LoadedBackend {
  detail: string;
  fastPath: boolean;
  engine: EngineChoice | null;
}

export interface LoaderContext {
  /** True when trying backends in `auto` order (a CPU WebGPU adapter is then not good enough). */
  auto: boolean;
  /** CPU threads a multi-threaded engine may use (TRAINER_THREADS). */
  threads: number;
}

/** Loads one backend and makes it the active one, or throws saying why it cannot run here. */
export type BackendLoader = (context: LoaderContext) => Promise<LoadedBackend>;
/** Replacements for the real loaders (tests use them to make a backend fail). */
export type BackendLoaders = Partial<Record<BackendName, BackendLoader>>;

export interface SelectedBackend {
  report: BackendReport;
  engine: EngineChoice | null;
}

/** An explicitly requested backend (TRAINER_BACKEND) cannot run, or none can. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly preference: BackendPreference,
    readonly reasons: BackendReport['skipped'],
  ) {
    super(
      preference === 'auto'
        ? `No training backend works here (${reasons.map((skip) => `${skip.backend}: ${skip.reason}`).join('; ')}).`
        : `TRAINER_BACKEND is "${preference}", but that backend cannot run here: ${reasons[0]?.reason}. ` +
            'Set TRAINER_BACKEND=auto to use the fastest backend that works.',
    );
    this.name = 'BackendUnavailableError';
  }
}

/**
 * Fastest first. Native TensorFlow is not in it: its GPU build needs CUDA 11.2 and cuDNN 8.1 and
 * fails or compiles for a very long time on newer GPUs, so it runs only when asked for.
 */
const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'onnx', 'wasm', 'cpu'];

/** TRAINER_THREADS, or every core of this machine shared between its trainers. */
export function defaultThreads(trainers = 1): number {
  return Math.max(1, Math.floor(os.availableParallelism() / trainers));
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** One line saying why a loader failed, in words an administrator can act on. */
function reasonOf(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' || code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG') {
    return 'ESM packages cannot be imported in this runtime (under jest, import() needs --experimental-vm-modules)';
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) {
    throw new Error(`the ${name} backend failed to initialise (TensorFlow.js logged the cause above)`);
  }
  await tf.ready();
}

/** Loads a CommonJS package, saying "not installed" rather than a stack when it is absent. */
function requireOptional(packageName: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's name is only known at run time
    return require(packageName);
  } catch (error) {
    const missing = errorCode(error) === 'MODULE_NOT_FOUND' && (error as Error).message.includes(`'${packageName}'`);
    throw missing ? new Error(`${packageName} is not installed`, { cause: error }) : error;
  }
}

/**
 * Native TensorFlow through the optional packages @tensorflow/tfjs-node-gpu (CUDA) or
 * @tensorflow/tfjs-node; their install downloads libtensorflow, so they are often absent.
 */
async function loadTensorflow(): Promise<LoadedBackend> {
  const failures: string[] = [];
  for (const packageName of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      requireOptional(packageName);
      await activate('tensorflow');
      return { detail: `native TensorFlow through ${packageName}`, fastPath: false, engine: null };
    } catch (error) {
      failures.push(reasonOf(error));
    }
  }
  throw new Error(failures.join('; '));
}

interface WebgpuPackage {
  create: (options: string[]) => GPU;
  globals: Record<string, unknown>;
}

/** Dawn's software adapters (SwiftShader) compute correctly, at CPU speed. */
export function isCpuAdapter(info: AdapterInfo): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

function adapterInfoOf(adapter: GPUAdapter): AdapterInfo {
  const info = adapter.info;
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '' };
}

export function describeAdapter(info: AdapterInfo): string {
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
}

/** Dawn's instance, made once: a collected instance crashes the process under its devices. */
let dawn: GPU | null = null;

/**
 * WebGPU in Node through the `webgpu` package (Dawn): the fused WGSL trainer for experiments,
 * tfjs-backend-webgpu for the class model and predictions. The tfjs backend registers itself only
 * if `navigator.gpu` exists when it is imported, and `webgpu` is ESM-only: hence the order and the
 * dynamic imports (tsconfig's nodenext keeps `import()` as a real import in CommonJS output).
 */
async function loadWebgpu(context: LoaderContext): Promise<LoadedBackend> {
  const { create, globals } = (await import('webgpu')) as unknown as WebgpuPackage;
  dawn ??= create([]);
  const gpu = dawn;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no GPU adapter found (Dawn needs a GPU with a Vulkan driver and libvulkan1)');
  const info = adapterInfoOf(adapter);
  if (context.auto && isCpuAdapter(info)) {
    throw new Error(`only a CPU adapter (${describeAdapter(info)}) was found; set TRAINER_BACKEND=webgpu to train on it anyway`);
  }
  // The GPUBufferUsage-style constants the tfjs backend reads from the global scope.
  Object.assign(globalThis, globals);
  // Node 21+ defines a read-only `navigator`; defining the property works on every version.
  Object.defineProperty(globalThis, 'navigator', { value: { ...globalThis.navigator, gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  await activate('webgpu');
  return {
    detail: `fused WGSL trainer on ${describeAdapter(info)} through Dawn; tfjs-backend-webgpu for the class model and predictions`,
    fastPath: false,
    engine: { name: 'webgpu-fused', threads: null, adapter: info, create: (data) => createWebgpuEngine(adapter, data) },
  };
}

/**
 * The fused CPU engine on onnxruntime-node, on `threads` cores, with TensorFlow.js on WebAssembly
 * (and its fast path) for the class model and predictions.
 */
async function loadOnnx(context: LoaderContext): Promise<LoadedBackend> {
  requireOptional('onnxruntime-node');
  const wasm = await loadWasm();
  const threads = context.threads;
  return {
    detail: `fused CPU engine on onnxruntime-node, ${threads} thread${threads === 1 ? '' : 's'}; ${wasm.detail} for the class model and predictions`,
    fastPath: true,
    engine: { name: 'onnx-fused', threads, adapter: null, create: (data) => createOnnxEngine(data, { threads }) },
  };
}

const PROCESS_EVENTS: readonly string[] = ['uncaughtException', 'unhandledRejection'];

/**
 * The Emscripten glue of tfjs-backend-wasm adds process-wide handlers that rethrow every uncaught
 * error and unhandled rejection from inside its minified code, so Node prints a 10 kB line of it
 * before the real error. Node's own default behaves the same (print, exit 1), legibly.
 */
async function withoutNewProcessHandlers(initialise: () => Promise<void>): Promise<void> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    await initialise();
  } finally {
    for (const event of PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/**
 * WebAssembly with XNNPACK, single-threaded: tfjs-backend-wasm turns threads off in Node
 * (tensorflow/tfjs#3830), and forcing them on was slower on a 2-core machine and once deadlocked.
 */
async function loadWasm(): Promise<LoadedBackend> {
  enableWasmFastPath();
  await withoutNewProcessHandlers(() => activate('wasm'));
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
  const threads = getThreadsCount();
  return {
    detail: `WebAssembly (XNNPACK, ${simd}, ${threads} thread${threads === 1 ? '' : 's'}) with the fast path for transposed products, slices and gathers`,
    fastPath: true,
    engine: null,
  };
}

async function loadCpu(): Promise<LoadedBackend> {
  await activate('cpu');
  return { detail: 'plain JavaScript (slow; about 10x slower than wasm)', fastPath: false, engine: null };
}

const REAL_LOADERS: Record<BackendName, BackendLoader> = {
  webgpu: loadWebgpu,
  onnx: loadOnnx,
  tensorflow: loadTensorflow,
  wasm: loadWasm,
  cpu: loadCpu,
};

export interface SelectOptions {
  /** CPU threads for the CPU engine; every core by default. */
  threads?: number;
  loaders?: BackendLoaders;
}

/**
 * Makes ready what trains. `auto` takes the fastest that works (the fused WebGPU trainer on a GPU,
 * the fused CPU engine, wasm, cpu) and reports why the faster ones were skipped; a named backend
 * must work, or this throws a BackendUnavailableError naming TRAINER_BACKEND and the reason.
 */
export async function selectBackend(preference: BackendPreference, options: SelectOptions = {}): Promise<SelectedBackend> {
  const candidates = preference === 'auto' ? AUTO_ORDER : [preference];
  const context: LoaderContext = { auto: preference === 'auto', threads: options.threads ?? defaultThreads() };
  const skipped: BackendReport['skipped'] = [];
  for (const name of candidates) {
    const load = options.loaders?.[name] ?? REAL_LOADERS[name];
    try {
      const { detail, fastPath, engine } = await load(context);
      const engineReport = engine && { name: engine.name, threads: engine.threads, adapter: engine.adapter };
      return { report: { name, detail, fastPath, engine: engineReport, skipped }, engine };
    } catch (error) {
      skipped.push({ backend: name, reason: reasonOf(error) });
    }
  }
  throw new BackendUnavailableError(preference, skipped);
}
