/**
 * The schema, as numbered steps. A database remembers the last step it ran in
 * `PRAGMA user_version`; opening it runs the steps after that one, each in its own transaction.
 * Never edit a step that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'jobs, runs with their epochs, exercise threads, class models',
    sql: `
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('train', 'exercise', 'predict', 'classify', 'class-model')),
        payload TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        guild_id TEXT,
        channel_id TEXT,
        locale TEXT NOT NULL,
        priority INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        failure TEXT,
        run_id TEXT,
        reply_ref TEXT
      );
      CREATE INDEX jobs_in_run_order ON jobs (state, priority DESC, id);
      CREATE INDEX jobs_by_user ON jobs (user_id, state);

      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
        owner_id TEXT NOT NULL,
        owner_name TEXT NOT NULL,
        guild_id TEXT,
        channel_id TEXT,
        exercise INTEGER,
        spec TEXT NOT NULL,
        spec_hash TEXT,
        result TEXT NOT NULL,
        stop_kind TEXT NOT NULL,
        test_accuracy REAL,
        seconds REAL NOT NULL,
        train_examples INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX runs_by_owner ON runs (guild_id, owner_id, created_at);
      CREATE INDEX runs_by_exercise ON runs (guild_id, exercise, created_at);
      CREATE INDEX runs_by_spec ON runs (guild_id, spec_hash);

      CREATE TABLE epochs (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        loss REAL NOT NULL,
        accuracy REAL NOT NULL,
        val_loss REAL,
        val_accuracy REAL,
        seconds REAL NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );

      CREATE TABLE exercise_threads (
        guild_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        exercise INTEGER NOT NULL,
        thread_id TEXT NOT NULL,
        summary_message_id TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, channel_id, exercise)
      );

      CREATE TABLE class_models (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL,
        test_accuracy REAL NOT NULL,
        training_seconds REAL NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'teacher controls: server settings (pause, limits), terms, the teacher log, removed runs',
    // A server is its guild id, or '' for the console (which has none), so that it can be a key.
    sql: `
      CREATE TABLE server_settings (
        server TEXT PRIMARY KEY,
        paused_by_id TEXT,
        paused_by_name TEXT,
        paused_at INTEGER,
        max_epochs INTEGER,
        max_units INTEGER,
        max_batch_size INTEGER,
        train_examples INTEGER,
        jobs_per_day INTEGER,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE terms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        server TEXT NOT NULL,
        name TEXT NOT NULL,
        started_by_id TEXT NOT NULL,
        started_by_name TEXT NOT NULL,
        started_at INTEGER NOT NULL
      );
      CREATE INDEX terms_by_server ON terms (server, started_at);

      CREATE TABLE teacher_actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        server TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX teacher_actions_by_server ON teacher_actions (server, id);

      ALTER TABLE runs ADD COLUMN removed_at INTEGER;
    `,
  },
  {
    version: 3,
    description: 'jobs remember how often a restart of the bot cut them off',
    sql: `ALTER TABLE jobs ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;`,
  },
];
