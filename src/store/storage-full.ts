/**
 * Whether a write failed because the disk is full: SQLite's SQLITE_FULL, or a file system's
 * ENOSPC, also when it is the cause of another error. Read by shape, not by class: a native
 * module's errors need not share this realm's Error.
 */
export function isStorageFull(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 10 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
    current = cause;
  }
  return false;
}
