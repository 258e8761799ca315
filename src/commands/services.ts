import type { Config } from '../config';
import type { ChartRenderer } from '../charts/renderer';
import type { LabRules } from '../jobs/lab-rules';
import type { JobQueue } from '../jobs/queue';
import type { TrainerPool } from '../jobs/trainer-pool';
import type { ClassModelStore } from '../store/class-models';
import type { ExerciseThreadStore } from '../store/exercise-threads';
import type { JobStore } from '../store/jobs';
import type { RunStore } from '../store/runs';
import type { ServerSettingsStore } from '../store/server-settings';
import type { TeacherLogStore } from '../store/teacher-log';
import type { TermStore } from '../store/terms';
import type { Logger } from '../logger';
import type { WorkerBeat } from '../protocol/worker-messages';

/** What commands may use; made once by app.ts and shared by both adapters. */
export interface Services {
  config: Config;
  queue: JobQueue;
  jobs: JobStore;
  runs: RunStore;
  classModels: ClassModelStore;
  threads: ExerciseThreadStore;
  /** What teachers set per server: the pause and the limits. */
  settings: ServerSettingsStore;
  terms: TermStore;
  teacherLog: TeacherLogStore;
  /** The rules those settings make: each server's limits, the daily quota, who may start. */
  rules: LabRules;
  /** The trainer processes of this machine (predictions go to one of them). */
  trainer: TrainerPool;
  /** The workers behind Redis (REDIS_URL), as their last heartbeats describe them; null without Redis. */
  workers: { view(): WorkerBeat[] } | null;
  charts: ChartRenderer;
  log: Logger;
}
