import path from 'node:path';
import { createChartRenderer } from './charts/renderer';
import type { Logger, Services } from './commands/services';
import { limitsOf } from './commands/spec-options';
import type { Config } from './config';
import { JobQueue, type JobEnd } from './jobs/queue';
import { TrainerClient } from './jobs/trainer-client';
import { stderrLogger } from './logging';
import type { DownloadProgress } from './protocol/trainer-messages';
import { formatDownloadProgress } from './trainer/dataset';
import { openDatabase } from './store/database';
import { ClassModelStore } from './store/class-model';
import { ExerciseThreadStore } from './store/exercise-threads';
import { JobStore } from './store/jobs';
import { RunStore } from './store/runs';

export interface App {
  services: Services;
  /** Set by the adapter: where to announce jobs that end with nobody watching (queued before a restart). */
  onUnwatchedEnd: (handler: (end: JobEnd) => void) => void;
  close(): Promise<void>;
}

/** Where the class model (the model for photos) is saved. */
export function classModelFolder(config: Config): string {
  return path.join(config.dataDir, 'class-model');
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
  const db = openDatabase(path.join(config.dataDir, 'lab.db'));
  const jobs = new JobStore(db);
  const runs = new RunStore(db);
  const classModels = new ClassModelStore(db);
  const trainer = new TrainerClient({
    env: options.trainerEnv ?? process.env,
    log,
    onDownloadProgress: options.onDownloadProgress ?? ((progress) => log.info(formatDownloadProgress(progress))),
  });
  let unwatchedHandler: (end: JobEnd) => void = (end) => log.info(`job ${end.job.id} ended with nobody watching`);
  const queue = new JobQueue({
    jobs,
    runs,
    classModels,
    trainer,
    modelDir: path.join(config.dataDir, 'models'),
    classModelDir: classModelFolder(config),
    queueCap: config.QUEUE_CAP,
    limits: limitsOf(config),
    log,
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
