import path from 'node:path';
import { createChartRenderer } from './charts/renderer';
import type { Logger } from './logger';
import type { Services } from './commands/services';
import type { Config } from './config';
import { configuredLimits } from './experiments/server-limits';
import { LabRules } from './jobs/lab-rules';
import { JobQueue, type JobEnd } from './jobs/queue';
import { RemoteTrainers } from './jobs/remote-trainers';
import { TrainerPool } from './jobs/trainer-pool';
import { stderrLogger } from './logging';
import type { DownloadProgress } from './protocol/trainer-messages';
import { defaultThreads } from './trainer/backend';
import { formatDownloadProgress } from './trainer/dataset';
import { openDatabase } from './store/database';
import { ClassModelStore } from './store/class-models';
import { ExerciseThreadStore } from './store/exercise-threads';
import { JobStore } from './store/jobs';
import { RunStore } from './store/runs';
import { ServerSettingsStore } from './store/server-settings';
import { TeacherLogStore } from './store/teacher-log';
import { TermStore } from './store/terms';

export interface App {
  services: Services;
  /** Set by the adapter: where to announce jobs that end with nobody watching (queued before a restart). */
  onUnwatchedEnd: (handler: (end: JobEnd) => void) => void;
  /** Resolves once the queue takes jobs: at once here, on Redis once connected (or after some seconds without it). */
  ready(): Promise<void>;
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
  /** The clock of the stores and the rules, in milliseconds since 1970; tests pass their own. */
  now?: () => number;
}

/** How long a start waits for Redis before it goes on without it (jobs are refused until it comes). */
const REDIS_PATIENCE_MS = 10_000;

export function createApp(config: Config, options: AppOptions = {}): App {
  const log = options.log ?? stderrLogger;
  const db = openDatabase(config.databaseFile);
  const clock = { now: options.now ?? Date.now };
  const jobs = new JobStore(db, clock);
  const runs = new RunStore(db, clock);
  const classModels = new ClassModelStore(db, clock);
  const settings = new ServerSettingsStore(db, clock);
  const rules = new LabRules({ settings, runs, configured: configuredLimits(config), ...clock });
  const trainerEnv = options.trainerEnv ?? process.env;
  // With Redis the jobs train on the workers; the trainers here answer predictions.
  const remote = config.REDIS_URL
    ? new RemoteTrainers({
        redisUrl: config.REDIS_URL,
        lockMs: config.REDIS_LOCK_MS,
        stalledIntervalMs: config.REDIS_STALLED_INTERVAL_MS,
        maxModelBytes: config.maxModelBytes,
        log,
      })
    : null;
  const trainer = new TrainerPool({
    size: remote ? 1 : config.TRAINERS,
    // Each trainer's engine takes its share of the cores, unless the threads are set outright.
    env: { TRAINER_THREADS: String(defaultThreads(config.TRAINERS)), ...trainerEnv },
    log,
    onDownloadProgress: options.onDownloadProgress ?? ((progress) => log.info(formatDownloadProgress(progress))),
  });
  let unwatchedHandler: (end: JobEnd) => void = (end) => log.info(`job ${end.job.id} ended with nobody watching`);
  const queue = new JobQueue({
    jobs,
    runs,
    classModels,
    trainers: remote ?? trainer,
    modelDir: path.join(config.dataDir, 'models'),
    classModelDir: config.classModelDir,
    queueCap: config.QUEUE_CAP,
    rules,
    log,
    onUnwatchedEnd: (end) => unwatchedHandler(end),
  });
  const charts = createChartRenderer({ kind: config.CHART_RENDERER, quickChartUrl: config.QUICKCHART_URL, log: (message, cause) => log.error(message, cause) });
  const services: Services = {
    config,
    queue,
    jobs,
    runs,
    classModels,
    threads: new ExerciseThreadStore(db, clock),
    settings,
    terms: new TermStore(db, clock),
    teacherLog: new TeacherLogStore(db, clock),
    rules,
    trainer,
    workers: remote ?? null,
    charts,
    log,
  };
  return {
    services,
    onUnwatchedEnd: (handler) => {
      unwatchedHandler = handler;
    },
    async ready() {
      if (remote && !(await remote.ready(REDIS_PATIENCE_MS))) log.error('the Redis of REDIS_URL is not reachable yet: jobs are refused until it is');
    },
    async close() {
      await queue.stop();
      await remote?.stop();
      await trainer.stop();
      db.close();
    },
  };
}
