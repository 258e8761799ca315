/**
 * The hold a test puts on running jobs (TRAINER_HOLD_AFTER_EPOCH): a job that reaches one of its
 * epochs waits there, before the next epoch, until released, so a test can act while the job surely runs, whatever the
 * machine's speed. A release that comes before the job gets there lets it through.
 */
export class JobHold {
  private waiter: (() => void) | null = null;
  private releasesAhead = 0;

  constructor(private readonly afterEpochs: readonly number[] = []) {}

  /** Awaited after `epoch` when another epoch follows. */
  async between(epoch: number): Promise<void> {
    if (!this.afterEpochs.includes(epoch)) return;
    if (this.releasesAhead > 0) {
      this.releasesAhead -= 1;
      return;
    }
    await new Promise<void>((resolve) => (this.waiter = resolve));
  }

  release(): void {
    if (!this.wake()) this.releasesAhead += 1;
  }

  /** Lets a held job go without a release in hand (it was cancelled). */
  wake(): boolean {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
    return waiter !== null;
  }
}
