import path from 'node:path';
import type { ServerLimits } from '../../src/experiments/server-limits';
import { LabRules } from '../../src/jobs/lab-rules';
import { JobQueue, type JobQueueOptions } from '../../src/jobs/queue';
import type { Trainers } from '../../src/jobs/trainers';
import { ClassModelStore } from '../../src/store/class-models';
import { openDatabase } from '../../src/store/database';
import { JobStore } from '../../src/store/jobs';
import { RunStore } from '../../src/store/runs';
import { ServerSettingsStore } from '../../src/store/server-settings';

/** The configuration's limits of the queue tests (the defaults, without a daily quota). */
export const TEST_LIMITS: ServerLimits = { maxEpochs: 50, maxUnits: 2048, maxBatchSize: 1024, trainExamples: 60000, jobsPerDay: null };

export interface TestQueueOptions extends Partial<Pick<JobQueueOptions, 'queueCap' | 'log' | 'onUnwatchedEnd' | 'storageRetryMs'>> {
  /** The SQLite file of the queue's stores. */
  database: string;
  /** Where trained models and the class model are written. */
  dataDir: string;
  trainers: Trainers;
  configured?: ServerLimits;
}

/** A job queue on its own database, with the stores and rules the app gives it. */
export function openTestQueue({ database, dataDir, trainers, configured = TEST_LIMITS, queueCap = 5, ...rest }: TestQueueOptions) {
  const db = openDatabase(database);
  const jobs = new JobStore(db);
  const runs = new RunStore(db);
  const settings = new ServerSettingsStore(db);
  const queue = new JobQueue({
    jobs,
    runs,
    classModels: new ClassModelStore(db),
    trainers,
    modelDir: path.join(dataDir, 'models'),
    classModelDir: path.join(dataDir, 'class-model'),
    queueCap,
    rules: new LabRules({ settings, runs, configured }),
    ...rest,
  });
  return { db, jobs, runs, settings, queue };
}
