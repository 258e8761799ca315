import type { EventEmitter } from 'node:events';

export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** The event the fake emits after every change of its state (a request served, a dispatch sent). */
export const CHANGE_EVENT = 'change';

/**
 * Resolves with the first truthy value `probe` returns, trying now and after every change; rejects
 * after `timeoutMs`. The timer is cleared either way, so a passing test leaves no handle open.
 */
export function waitForChange<T>(
  changes: EventEmitter,
  probe: () => T,
  timeoutMs: number,
  what: string,
): Promise<Truthy<T>> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      changes.off(CHANGE_EVENT, attempt);
    };
    const attempt = () => {
      try {
        const value = probe();
        if (value) {
          finish();
          resolve(value as Truthy<T>);
        }
      } catch (error) {
        finish();
        reject(error);
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    changes.on(CHANGE_EVENT, attempt);
    attempt();
  });
}
