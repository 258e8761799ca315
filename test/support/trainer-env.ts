import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The environment of a real trainer process for tests: the wasm backend, the real data set
 * (Debian's copy), few training examples so that runs take seconds, and a fresh data folder.
 */
export function trainerTestEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv & { DATA_DIR: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-test-'));
  return {
    ...process.env,
    TRAINER_BACKEND: 'wasm',
    TRAIN_EXAMPLES: '1000',
    DATA_DIR: dataDir,
    DISCORD_TOKEN: '',
    ...overrides,
  };
}
