import type { TrainerClient } from './trainer-client';

/** One trainer as the queue uses it: a process of this machine, or a slot of a worker elsewhere. */
export type JobTrainer = Pick<TrainerClient, 'train' | 'trainClassModel' | 'cancel'>;

/** Where the queue's jobs train: the trainer pool of this machine, or the workers behind Redis. */
export interface Trainers {
  /** How many jobs may train at once (at least 1, for the queue's estimates). */
  readonly size: number;
  /** False while the jobs cannot be handed on (Redis unreachable): the queue refuses new ones. */
  readonly reachable: boolean;
  /**
   * True when the jobs in hand train on without the bot (on the workers behind Redis): a bot that
   * stops leaves them be, and a restarted one takes them up where they are.
   */
  readonly outliveBot: boolean;
  /** Told, when they outlive the bot, which jobs a restarted bot takes up (they should be there already). */
  takeUp?(jobIds: readonly number[]): void;
  /**
   * Starts following how many trainers are free elsewhere (the workers' heartbeats); `onChange` is
   * called when more jobs may start. The queue calls it as it starts, once the jobs left from
   * before a restart have their listeners, so that none is handed out before.
   */
  watch?(onChange: () => void): void;
  /** A trainer without a job; null when all are busy. */
  free(): JobTrainer | null;
  assign(trainer: JobTrainer, jobId: number): void;
  giveBack(trainer: JobTrainer): void;
}
