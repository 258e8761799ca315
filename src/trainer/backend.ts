import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { enableWasmFastPath } from './wasm-fast-path';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/** Which backend trains, and why the faster ones were skipped (shown by /status). */
export interface BackendReport {
  name: BackendName;
  detail: string;
  fastPath: boolean;
  skipped: { backend: string; reason: string }[];
}

/** Loads one backend and makes it the active one, or throws saying why it cannot run here. */
export type BackendLoader = () => Promise<{ detail: string; fastPath: boolean }>;
/** Replacements for the real loaders (tests use them to make a backend fail). */
export type BackendLoaders = Partial<Record<BackendName, BackendLoader>>;

/** An explicitly requested backend (TRAINER_BACKEND) cannot run, or none can. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly preference: BackendPreference,
    readonly reasons: BackendReport['skipped'],
  ) {
    super(
      preference === 'auto'
        ? `No TensorFlow.js backend works here (${reasons.map((skip) => `${skip.backend}: ${skip.reason}`).join('; ')}).`
        : `TRAINER_BACKEND is "${preference}", but that backend cannot run here: ${reasons[0]?.reason}. ` +
            'Set TRAINER_BACKEND=auto to use the fastest backend that works.',
    );
    this.name = 'BackendUnavailableError';
  }
}

/** Fastest first. */
const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

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
function requireOptional(packageName: string): void {
  try {
    require(packageName);
  } catch (error) {
    const missing = errorCode(error) === 'MODULE_NOT_FOUND' && (error as Error).message.includes(`'${packageName}'`);
    throw missing ? new Error(`${packageName} is not installed`, { cause: error }) : error;
  }
}

/**
 * Native TensorFlow through the optional packages @tensorflow/tfjs-node-gpu (CUDA) or
 * @tensorflow/tfjs-node; their install downloads libtensorflow, so they are often absent.
 */
async function loadTensorflow(): Promise<{ detail: string; fastPath: boolean }> {
  const failures: string[] = [];
  for (const packageName of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      requireOptional(packageName);
      await activate('tensorflow');
      return { detail: `native TensorFlow through ${packageName}`, fastPath: false };
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

/**
 * WebGPU in Node through the `webgpu` package (Dawn). The tfjs backend registers itself only if
 * `navigator.gpu` exists when it is imported, and `webgpu` is ESM-only: hence the order and the
 * dynamic imports (tsconfig's nodenext keeps `import()` as a real import in CommonJS output).
 */
async function loadWebgpu(): Promise<{ detail: string; fastPath: boolean }> {
  const { create, globals } = (await import('webgpu')) as unknown as WebgpuPackage;
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('no GPU adapter found (Dawn needs a GPU with a Vulkan driver and libvulkan1)');
  // The GPUBufferUsage-style constants the tfjs backend reads from the global scope.
  Object.assign(globalThis, globals);
  // Node 21+ defines a read-only `navigator`; defining the property works on every version.
  Object.defineProperty(globalThis, 'navigator', { value: { ...globalThis.navigator, gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  await activate('webgpu');
  const info = adapter.info;
  const gpuName = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return { detail: `WebGPU through Dawn on ${gpuName}`, fastPath: false };
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
async function loadWasm(): Promise<{ detail: string; fastPath: boolean }> {
  enableWasmFastPath();
  await withoutNewProcessHandlers(() => activate('wasm'));
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
  const threads = getThreadsCount();
  return {
    detail: `WebAssembly (XNNPACK, ${simd}, ${threads} thread${threads === 1 ? '' : 's'}) with the fast path for transposed products, slices and gathers`,
    fastPath: true,
  };
}

async function loadCpu(): Promise<{ detail: string; fastPath: boolean }> {
  await activate('cpu');
  return { detail: 'plain JavaScript (slow; about 10x slower than wasm)', fastPath: false };
}

const REAL_LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: loadTensorflow,
  webgpu: loadWebgpu,
  wasm: loadWasm,
  cpu: loadCpu,
};

/**
 * Activates the TensorFlow.js backend for training. `auto` takes the fastest that works
 * (tensorflow, webgpu, wasm, cpu) and reports why the faster ones were skipped; a named backend
 * must work, or this throws a BackendUnavailableError naming TRAINER_BACKEND and the reason.
 */
export async function selectBackend(preference: BackendPreference, loaders: BackendLoaders = {}): Promise<BackendReport> {
  const candidates = preference === 'auto' ? AUTO_ORDER : [preference];
  const skipped: BackendReport['skipped'] = [];
  for (const name of candidates) {
    const load = loaders[name] ?? REAL_LOADERS[name];
    try {
      const loaded = await load();
      return { name, ...loaded, skipped };
    } catch (error) {
      skipped.push({ backend: name, reason: reasonOf(error) });
    }
  }
  throw new BackendUnavailableError(preference, skipped);
}
