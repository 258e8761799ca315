import { SERVER_LIMIT_NAMES, type LimitOverrides, type ServerLimitName } from '../experiments/server-limits';
import { inWriteTransaction, type Database, type StoreOptions } from './database';
import { serverKey } from './server-key';

/** Who paused a server's lab, and when (milliseconds since 1970). */
export interface Pause {
  byId: string;
  byName: string;
  since: number;
}

interface SettingsRow {
  paused_by_id: string | null;
  paused_by_name: string | null;
  paused_at: number | null;
  max_epochs: number | null;
  max_units: number | null;
  max_batch_size: number | null;
  train_examples: number | null;
  jobs_per_day: number | null;
}

const COLUMN_OF: Record<ServerLimitName, keyof SettingsRow & string> = {
  maxEpochs: 'max_epochs',
  maxUnits: 'max_units',
  maxBatchSize: 'max_batch_size',
  trainExamples: 'train_examples',
  jobsPerDay: 'jobs_per_day',
};

/**
 * What a teacher set for one server, kept in SQLite so it holds across restarts: whether the lab
 * is paused (and by whom), and the limits that differ from the configuration's.
 */
export class ServerSettingsStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The server's pause, or null when its lab runs. */
  pauseOf(guildId: string | null): Pause | null {
    const row = this.row(guildId);
    if (!row || row.paused_at === null || row.paused_by_id === null) return null;
    return { byId: row.paused_by_id, byName: row.paused_by_name ?? row.paused_by_id, since: row.paused_at };
  }

  /** Pauses the server's lab; a lab already paused keeps its first pause, which is returned. */
  pause(guildId: string | null, by: { id: string; name: string }): Pause {
    const update = this.db.prepare(`
      UPDATE server_settings SET paused_by_id = @id, paused_by_name = @name, paused_at = @now, updated_at = @now
      WHERE server = @server AND paused_at IS NULL`);
    return inWriteTransaction(this.db, () => {
      this.ensureRow(guildId);
      update.run({ server: serverKey(guildId), id: by.id, name: by.name, now: this.now() });
      const pause = this.pauseOf(guildId);
      if (!pause) throw new Error(`the pause of server ${serverKey(guildId)} vanished while being written`);
      return pause;
    });
  }

  /** Lets the server's lab run again; returns the pause that ended, or null when it was not paused. */
  resume(guildId: string | null): Pause | null {
    const update = this.db.prepare(`
      UPDATE server_settings SET paused_by_id = NULL, paused_by_name = NULL, paused_at = NULL, updated_at = ?
      WHERE server = ?`);
    return inWriteTransaction(this.db, () => {
      const pause = this.pauseOf(guildId);
      if (pause) update.run(this.now(), serverKey(guildId));
      return pause;
    });
  }

  /** The limits a teacher set for the server (the others are the configuration's). */
  overridesOf(guildId: string | null): LimitOverrides {
    const row = this.row(guildId);
    if (!row) return {};
    return Object.fromEntries(SERVER_LIMIT_NAMES.flatMap((name) => (row[COLUMN_OF[name]] === null ? [] : [[name, row[COLUMN_OF[name]]]])));
  }

  /** Sets some limits (null: back to the configuration's) and returns all the server's overrides. */
  setOverrides(guildId: string | null, changes: LimitOverrides): LimitOverrides {
    const names = SERVER_LIMIT_NAMES.filter((name) => name in changes);
    inWriteTransaction(this.db, () => {
      this.ensureRow(guildId);
      if (names.length === 0) return;
      const assignments = names.map((name) => `${COLUMN_OF[name]} = @${name}`).join(', ');
      const values = Object.fromEntries(names.map((name) => [name, changes[name] ?? null]));
      this.db.prepare(`UPDATE server_settings SET ${assignments}, updated_at = @now WHERE server = @server`).run({ ...values, now: this.now(), server: serverKey(guildId) });
    });
    return this.overridesOf(guildId);
  }

  /** Every limit back to the configuration's. */
  clearOverrides(guildId: string | null): void {
    this.setOverrides(guildId, Object.fromEntries(SERVER_LIMIT_NAMES.map((name) => [name, null])));
  }

  private row(guildId: string | null): SettingsRow | undefined {
    return this.db.prepare<[string], SettingsRow>('SELECT * FROM server_settings WHERE server = ?').get(serverKey(guildId));
  }

  private ensureRow(guildId: string | null): void {
    this.db.prepare('INSERT INTO server_settings (server, updated_at) VALUES (?, ?) ON CONFLICT (server) DO NOTHING').run(serverKey(guildId), this.now());
  }
}
