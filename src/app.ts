import path from 'node:path';
import { createChartRenderer } from './charts/renderer';
import type { Logger, Services } from './commands/services';
import type { Config } from './config';
import { limitsOf } from './experiments/spec';
import { JobQueue, type JobEnd } from './jobs/queue';
import { TrainerClient } from './jobs/trainer-client';
import { stderrLogger } from './logging';
import type { DownloadProgress } from './protocol/trainer-messages';
import { formatDownloadProgress } from './trainer/dataset';
import { openDatabase } from './store/database';
import { ClassModelStore } from './store/class-models';
import { ExerciseThreadStore } from './store/exercise-threads';
import { JobStore } from './store/jobs';
import { RunStore } from './store/runs';

export interface App {
  services: Services;
  /** Set by the adapter: where to announce jobs that end with nobody watching (queued before a restart). */
  onUnwatchedEnd: (handler: (end: JobEnd) => void) => void;
  close(): Promise<void>;
}

/**
 * Builds everything the commands use, once, for whichever adapter runs: the database, the
 * trainer process, the queue and the chart renderer.
 */
export interface AppOptions {
  log?: Logger;
  /** Environment of the trainer process (the bot's, by default). */
  trainerEnv?: NodeJS.ProcessEnv;
  /** The trainer's first download of Fashion-MNIST, when no copy was on disk. */
  onDownloadProgress?: (progress: DownloadProgress) => void;
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const log = options.log ?? stderrLogger;
  const db = openDatabase(config.databaseFile);
  const jobs = new JobStore(db);
  const runs = new RunStore(db);
  const classModels = new ClassModelStore(db);
  const trainer = new TrainerClient({
    env: options.trainerEnv ?? process.env,
    log: (message) => log.info(message),
    onDownloadProgress: options.onDownloadProgress ?? ((progress) => log.info(formatDownloadProgress(progress))),
  });
  let unwatchedHandler: (end: JobEnd) => void = (end) => log.info(`job ${end.job.id} ended with nobody watching`);
  const queue = new JobQueue({
    jobs,
    runs,
    classModels,
    trainer,
    modelDir: path.join(config.dataDir, 'models'),
    classModelDir: config.classModelDir,
    queueCap: config.QUEUE_CAP,
    limits: limitsOf(config),
    log: (message) => log.error(message),
    onUnwatchedEnd: (end) => unwatchedHandler(end),
  });
  const charts = createChartRenderer({ kind: config.CHART_RENDERER, quickChartUrl: config.QUICKCHART_URL, log: (message, cause) => log.error(message, cause) });
  const services: Services = { config, queue, jobs, runs, classModels, threads: new ExerciseThreadStore(db), trainer, charts, log };
  return {
    services,
    onUnwatchedEnd: (handler) => {
      unwatchedHandler = handler;
    },
    async close() {
      await queue.stop();
      await trainer.stop();
      db.close();
    },
  };
}
