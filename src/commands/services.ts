import type { Config } from '../config';
import type { ChartRenderer } from '../charts/renderer';
import type { JobQueue } from '../jobs/queue';
import type { TrainerClient } from '../jobs/trainer-client';
import type { ClassModelStore } from '../store/class-models';
import type { ExerciseThreadStore } from '../store/exercise-threads';
import type { JobStore } from '../store/jobs';
import type { RunStore } from '../store/runs';

export interface Logger {
  info(message: string): void;
  error(message: string, cause?: unknown): void;
}

/** What commands may use; made once by app.ts and shared by both adapters. */
export interface Services {
  config: Config;
  queue: JobQueue;
  jobs: JobStore;
  runs: RunStore;
  classModels: ClassModelStore;
  threads: ExerciseThreadStore;
  trainer: TrainerClient;
  charts: ChartRenderer;
  log: Logger;
}
