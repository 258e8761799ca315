import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import type { Logger } from './logger';
import { RemoteWorker } from './jobs/remote-worker';
import { TrainerPool } from './jobs/trainer-pool';
import { defaultThreads } from './trainer/backend';
import { formatDownloadProgress } from './trainer/dataset';

/**
 * Builds the worker of `npm run worker`: this machine's trainer pool (its own TRAINER_BACKEND and
 * TRAINERS, its own copy of Fashion-MNIST) taking jobs from the training queue on REDIS_URL.
 */
export function createWorker(config: Config & { REDIS_URL: string }, log: Logger, trainerEnv: NodeJS.ProcessEnv = process.env): RemoteWorker {
  const pool = new TrainerPool({
    size: config.TRAINERS,
    env: { TRAINER_THREADS: String(defaultThreads(config.TRAINERS)), ...trainerEnv },
    log,
    onDownloadProgress: (progress) => log.info(formatDownloadProgress(progress)),
  });
  const workDir = path.join(config.dataDir, 'worker-models');
  fs.mkdirSync(workDir, { recursive: true });
  return new RemoteWorker({
    redisUrl: config.REDIS_URL,
    pool,
    lockMs: config.REDIS_LOCK_MS,
    stalledIntervalMs: config.REDIS_STALLED_INTERVAL_MS,
    maxModelBytes: config.maxModelBytes,
    workDir,
    log,
  });
}
