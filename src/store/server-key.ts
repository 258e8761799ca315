/**
 * The key of a server in the teacher's tables: its guild id, or '' for the console, which has no
 * server (SQLite lets a primary key hold several NULLs, so null cannot be the key).
 */
export function serverKey(guildId: string | null): string {
  return guildId ?? '';
}

/** The same key, written in SQL for a column or parameter that holds a guild id or null. */
export const serverKeySql = (guildIdColumn: string) => `COALESCE(${guildIdColumn}, '')`;
