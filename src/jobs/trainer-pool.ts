import type { DownloadProgress, ModelRef, PredictionInput, TrainerReady } from '../protocol/trainer-messages';
import type { Logger } from '../logger';
import { TrainerClient, type Prediction } from './trainer-client';

export interface TrainerPoolOptions {
  /** How many trainer processes; each runs one job at a time. */
  size: number;
  /** Environment of every trainer process (its TRAINER_THREADS already shares the cores among them). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  onDownloadProgress?: (progress: DownloadProgress) => void;
  startTimeoutMs?: number;
}

/** What `/queue` and `/status` show of one trainer. */
export interface TrainerView {
  /** 1-based, as people count. */
  number: number;
  /** The backend it reported when ready; null before its first start. */
  backend: string | null;
  /** The job it runs now. */
  jobId: number | null;
  jobsDone: number;
}

interface Member {
  client: TrainerClient;
  jobId: number | null;
  jobsDone: number;
}

/**
 * The trainer processes of this machine. The queue takes a free one for each job and gives it
 * back at the job's end; predictions go to one that is up, idle ones first.
 */
export class TrainerPool {
  private readonly members: Member[];

  constructor(options: TrainerPoolOptions) {
    const { size, ...clientOptions } = options;
    this.members = Array.from({ length: size }, () => ({ client: new TrainerClient(clientOptions), jobId: null, jobsDone: 0 }));
  }

  get size(): number {
    return this.members.length;
  }

  /** Its processes are on this machine: jobs can always be handed to them. */
  get reachable(): boolean {
    return true;
  }

  /** Its processes stop with the bot, and their jobs with them. */
  readonly outliveBot = false;

  /** The trainers' clients, in order (tests hold, release and kill them one by one). */
  get clients(): TrainerClient[] {
    return this.members.map((member) => member.client);
  }

  /** Starts every trainer and resolves with the first one's report once all are ready. */
  async start(): Promise<TrainerReady> {
    const [first] = await Promise.all(this.members.map((member) => member.client.start()));
    return first;
  }

  /** What the trainers reported when ready (the first one that did). */
  get readyInfo(): TrainerReady | null {
    return this.members.find((member) => member.client.readyInfo)?.client.readyInfo ?? null;
  }

  /** The first trainer without a job; null when all are busy. */
  free(): TrainerClient | null {
    return this.members.find((member) => member.jobId === null)?.client ?? null;
  }

  /** Marks `client` busy with `jobId` until it is given back. */
  assign(client: TrainerClient, jobId: number): void {
    const member = this.memberOf(client);
    if (member) member.jobId = jobId;
  }

  /** Marks `client` free again, one job more done. */
  giveBack(client: TrainerClient): void {
    const member = this.memberOf(client);
    if (!member) return;
    member.jobId = null;
    member.jobsDone += 1;
  }

  private memberOf(client: TrainerClient): Member | undefined {
    return this.members.find((member) => member.client === client);
  }

  view(): TrainerView[] {
    return this.members.map((member, index) => ({
      number: index + 1,
      backend: member.client.readyInfo?.backend.name ?? null,
      jobId: member.jobId,
      jobsDone: member.jobsDone,
    }));
  }

  /** Answered by an idle trainer that is up when there is one, else between two batches of a busy one. */
  predict(model: ModelRef, input: PredictionInput, normalize: boolean): Promise<Prediction> {
    const up = this.members.filter((member) => member.client.up);
    const chosen = up.find((member) => member.jobId === null) ?? up[0] ?? this.members[0];
    return chosen.client.predict(model, input, normalize);
  }

  /** Lets a job held for a test go on, in every trainer. */
  release(): void {
    for (const member of this.members) member.client.release();
  }

  get restarts(): number {
    return this.members.reduce((sum, member) => sum + member.client.restarts, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.client.stop()));
  }
}
