/**
 * Whether a write failed because the disk is full: SQLite's SQLITE_FULL (which its page limit
 * gives too), or a file system's ENOSPC, also when it is the cause of another error.
 */
export function isStorageFull(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  }
  return false;
}
