// Loading the package registers the stock wasm kernels that the fast path wraps.
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  GatherV2,
  Slice,
  Transpose,
  _FusedMatMul,
  getKernel,
  registerKernel,
  slice_util,
  unregisterKernel,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * Replacements for kernels of tfjs-backend-wasm 4.22 that take a slow path in training:
 *
 * - `BatchMatMul` and `_FusedMatMul` with `transposeA` or `transposeB` run a naive C++ loop
 *   instead of XNNPACK: 61 ms against 4.7 ms for an explicit transpose followed by a plain product
 *   (784x128 by 128x512). Every backward pass of a Dense layer asks for such products. And a
 *   plain product with weights that changed since the last step spends most of its time
 *   repacking them (see `shouldSwap`).
 * - `Slice` copies the whole input out of the wasm heap before taking the slice, so cutting a
 *   batch of 32 rows out of the 60,000 training images costs about 0.7 s.
 * - `GatherV2` (picking shuffled rows) walks every element with index arithmetic; copying whole
 *   rows is several times faster.
 *
 * Each replacement handles the common case and hands anything else to the stock kernel.
 */

const WASM = 'wasm';

type Replace = (stock: KernelFunc) => KernelFunc;

interface KernelArgs<Inputs, Attrs> {
  inputs: Inputs;
  backend: BackendWasm;
  attrs: Attrs;
}

/** The stock kernel configs, kept while the fast path is on so they can be put back. */
let stockKernels: KernelConfig[] | null = null;

function stockWasmKernel(kernelName: string): KernelConfig {
  const config = getKernel(kernelName, WASM);
  if (!config) {
    throw new Error(`The wasm backend has no '${kernelName}' kernel registered; is @tensorflow/tfjs-backend-wasm loaded?`);
  }
  return config;
}

// --- matrix products ----------------------------------------------------------------------------

type MatMulArgs = KernelArgs<
  { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo | null | undefined>,
  { transposeA: boolean; transposeB: boolean } & Record<string, unknown>
>;

/** Swaps the last two dimensions of `x` with the wasm Transpose kernel; the caller owns the result. */
function transposeLastTwo(x: TensorInfo, backend: BackendWasm): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const transpose = stockWasmKernel(Transpose).kernelFunc;
  return transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
}

/** The last two dimensions of an operand as the product sees them, i.e. after its transpose flag. */
function lastTwo(shape: number[], transposed: boolean): [number, number] {
  const [first, second] = shape.slice(-2);
  return transposed ? [second, first] : [first, second];
}

/** The second operands that a product has already been swapped for (see `shouldSwap`). */
const swappedBefore = new WeakSet<object>();

/**
 * XNNPACK repacks the second operand of a product (the "weights") whenever it meets a new one,
 * and caches the packing for later products with it. In training the weights change at every
 * step, so packing a 784x512 matrix costs more than the product of a batch of 32 rows with it.
 * Computing (B^T A^T)^T instead packs A. Worth it when A and the result are small next to B
 * (a batch times a big weight matrix) and B is not already packed; after a first swap a B that
 * comes back (inference with fixed weights) goes the stock way and gets packed and cached once.
 */
function shouldSwap({ inputs: { a, b }, attrs: { transposeA, transposeB } }: MatMulArgs): boolean {
  // The stock kernel uses XNNPACK only for unbatched products.
  if (util.sizeFromShape(a.shape.slice(0, -2)) * util.sizeFromShape(b.shape.slice(0, -2)) !== 1) return false;
  const [rows, innerA] = lastTwo(a.shape, transposeA);
  const [innerB, columns] = lastTwo(b.shape, transposeB);
  // Mismatched operands go the stock way, whose error message names them in the caller's order.
  if (innerA !== innerB) return false;
  // Swapping packs rows x inner values and transposes the rows x columns result, instead of
  // packing inner x columns values.
  if (rows * (innerA + columns) >= innerA * columns) return false;
  // A transposed B is a fresh copy, packed at every call anyway.
  if (transposeB) return true;
  if (swappedBefore.has(b.dataId)) return false;
  swappedBefore.add(b.dataId);
  return true;
}

/**
 * Computes op(a) x op(b) with the stock kernel on operands without transpose flags, where op
 * transposes when the flag is set; the transposed copies are made by the fast Transpose kernel.
 * With `swap`, computes (op(b)^T x op(a)^T)^T instead.
 */
function productWithoutFlags(stock: KernelFunc, args: MatMulArgs, swap: boolean): TensorInfo {
  const { inputs, backend, attrs } = args;
  const temporaries: TensorInfo[] = [];
  const transposed = (x: TensorInfo) => {
    const copy = transposeLastTwo(x, backend);
    temporaries.push(copy);
    return copy;
  };
  const product = (a: TensorInfo, b: TensorInfo) =>
    stock({ inputs: { ...inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as never) as TensorInfo;
  try {
    if (!swap) {
      return product(attrs.transposeA ? transposed(inputs.a) : inputs.a, attrs.transposeB ? transposed(inputs.b) : inputs.b);
    }
    const swapped = product(attrs.transposeB ? inputs.b : transposed(inputs.b), attrs.transposeA ? inputs.a : transposed(inputs.a));
    temporaries.push(swapped);
    return transposeLastTwo(swapped, backend);
  } finally {
    for (const temporary of temporaries) backend.disposeData(temporary.dataId);
  }
}

/** BatchMatMul: explicit transposes, and the swap when it saves packing. */
const fastBatchMatMul: Replace = (stock) => {
  const kernel = (args: MatMulArgs) => {
    const swap = shouldSwap(args);
    if (!swap && !args.attrs.transposeA && !args.attrs.transposeB) return stock(args as never);
    return productWithoutFlags(stock, args, swap);
  };
  return kernel as unknown as KernelFunc;
};

/** _FusedMatMul: explicit transposes only, since bias and activation apply to the columns. */
const fastFusedMatMul: Replace = (stock) => {
  const kernel = (args: MatMulArgs) => {
    if (!args.attrs.transposeA && !args.attrs.transposeB) return stock(args as never);
    return productWithoutFlags(stock, args, false);
  };
  return kernel as unknown as KernelFunc;
};

// --- slices and gathers of whole rows ------------------------------------------------------------

/** Numeric tensors live in the wasm heap and can be viewed in place; strings cannot. */
function isNumeric(x: TensorInfo): boolean {
  return x.dtype !== 'string';
}

type SliceArgs = KernelArgs<{ x: TensorInfo }, { begin: number | number[]; size?: number | number[] }>;

/** A contiguous slice (e.g. a batch of rows) copied straight from a heap view of the input. */
const sliceFromHeapView: Replace = (stock) => {
  const kernel = (args: SliceArgs) => {
    const { inputs: { x }, backend, attrs } = args;
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    if (!isNumeric(x) || !slice_util.isSliceContinous(x.shape, begin, size)) return stock(args as never);
    const offset = slice_util.computeFlatOffset(begin, util.computeStrides(x.shape));
    const out = backend.makeOutput(size, x.dtype);
    // Views are taken after makeOutput: allocating may grow the heap and detach older views.
    const source = backend.typedArrayFromHeap(x);
    backend.typedArrayFromHeap(out).set(source.subarray(offset, offset + util.sizeFromShape(size)));
    return out;
  };
  return kernel as unknown as KernelFunc;
};

type GatherArgs = KernelArgs<{ x: TensorInfo; indices: TensorInfo }, { axis: number; batchDims: number }>;

/** Gathering along the first axis (shuffled batches) as one copy per row. */
const gatherRows: Replace = (stock) => {
  const kernel = (args: GatherArgs) => {
    const { inputs: { x, indices }, backend, attrs } = args;
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
    if (axis !== 0 || attrs.batchDims !== 0 || !isNumeric(x) || indices.dtype !== 'int32') return stock(args as never);
    const rows = x.shape[0];
    const rowShape = x.shape.slice(1);
    const rowSize = util.sizeFromShape(rowShape);
    const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
    const source = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    const picked = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < picked.length; i++) {
      const row = picked[i];
      if (row < 0 || row >= rows) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
      }
      target.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
    }
    return out;
  };
  return kernel as unknown as KernelFunc;
};

// --- switching -----------------------------------------------------------------------------------

const REPLACEMENTS: Record<string, Replace> = {
  [BatchMatMul]: fastBatchMatMul,
  [_FusedMatMul]: fastFusedMatMul,
  [Slice]: sliceFromHeapView,
  [GatherV2]: gatherRows,
};

export function isWasmFastPathEnabled(): boolean {
  return stockKernels !== null;
}

/** Installs the fast kernels for the 'wasm' backend (idempotent). */
export function enableWasmFastPath(): void {
  if (stockKernels) return;
  const stock = Object.keys(REPLACEMENTS).map(stockWasmKernel);
  for (const config of stock) {
    unregisterKernel(config.kernelName, WASM);
    // The stock setupFunc stays: it binds the C++ function the stock kernel calls, and the engine
    // runs it whenever the wasm backend is (re)initialised.
    registerKernel({ ...config, kernelFunc: REPLACEMENTS[config.kernelName](config.kernelFunc) });
  }
  stockKernels = stock;
}

/** Puts the stock kernels back (idempotent), e.g. to measure both in one process. */
export function disableWasmFastPath(): void {
  if (!stockKernels) return;
  for (const config of stockKernels) {
    unregisterKernel(config.kernelName, WASM);
    registerKernel(config);
  }
  stockKernels = null;
}
