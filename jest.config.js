/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Tests wait on events; this only ends one that hangs (their own deadlines, minutes, say what they waited for).
  testTimeout: 600000,
  maxWorkers: 1,
  // Points Dawn at SwiftShader for the WebGPU tests (and the trainer processes they start).
  globalSetup: '<rootDir>/test/support/swiftshader-env.ts',
};
