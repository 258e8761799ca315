export interface PacedUpdatesOptions<T> {
  send: (update: T) => Promise<void>;
  /** The least time between the starts of two sends. */
  intervalMs: number;
  /** Where failures of progress sends go (nobody awaits those). */
  onError: (error: unknown) => void;
}

/**
 * The edits of one message, paced so that Discord never has to rate-limit them: sends run one at a
 * time, at most one per interval. Progress coalesces (only the latest waiting one is sent); an
 * update is never dropped, and it supersedes any progress still waiting.
 */
export class PacedUpdates<T> {
  /** Sends run in this order, one at a time. */
  private tail: Promise<void> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;
  private pending: T | null = null;
  private flushQueued = false;
  /** Bumped by every update, so a progress flush queued before it sends nothing. */
  private generation = 0;

  constructor(private readonly options: PacedUpdatesOptions<T>) {}

  /** A progress update: resolves at once; it is sent later, or replaced by a newer one. */
  progress(update: T): void {
    this.pending = update;
    if (this.flushQueued) return;
    this.flushQueued = true;
    const generation = this.generation;
    void this.enqueue(async () => {
      await this.waitForTurn();
      if (generation !== this.generation) return;
      this.flushQueued = false;
      const latest = this.pending;
      this.pending = null;
      if (latest !== null) await this.sendNow(latest).catch(this.options.onError);
    });
  }

  /** An update that must arrive: after the send in flight and the interval; rejects if it fails. */
  update(update: T): Promise<void> {
    this.generation += 1;
    this.pending = null;
    this.flushQueued = false;
    return this.enqueue(async () => {
      await this.waitForTurn();
      await this.sendNow(update);
    });
  }

  /** Resolves once everything asked for so far has been sent (or has failed). */
  settled(): Promise<void> {
    return this.tail;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async waitForTurn(): Promise<void> {
    const wait = this.lastStart + this.options.intervalMs - Date.now();
    if (wait > 0) await pause(wait);
  }

  private sendNow(update: T): Promise<void> {
    this.lastStart = Date.now();
    return this.options.send(update);
  }
}

/** Unreferenced: a pending progress edit is no reason to keep a stopping process alive. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
