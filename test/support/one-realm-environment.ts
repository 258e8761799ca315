import NodeEnvironment from 'jest-environment-node';

/**
 * Jest's node environment gives each test file its own realm, with its own typed-array
 * constructors; onnxruntime-node makes its output tensors from the process' own, and
 * onnxruntime-common then refuses them ("A float32 tensor's data must be type of Float32Array").
 * Test files that run the ONNX engine use this environment (a `@jest-environment` docblock): the
 * typed arrays of the process in the test's realm too, as in production.
 */
const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export default class OneRealmEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    for (const name of SHARED) (this.global as Record<string, unknown>)[name] = globalThis[name];
  }
}
