import { setTimeout as sleep } from 'node:timers/promises';

/** The deadline of a wait: minutes, so that it only ends a broken test, on any machine. */
export const WAIT_DEADLINE_MS = 3 * 60_000;

/** Polls until `condition` holds; the deadline only ends a broken test, and says what it waited for. */
export async function waitUntil(condition: () => boolean, awaited: string, timeoutMs = WAIT_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${awaited}`);
    await sleep(20);
  }
}
