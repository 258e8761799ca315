import { spawn } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../../src/store/database';
import { JobStore } from '../../src/store/jobs';
import { makeTempDir, removeDir, sampleJob } from './fixtures/samples';

const WORKER = path.join(__dirname, 'fixtures', 'store-worker.ts');
const REPO_ROOT = path.join(__dirname, '..', '..');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Worker {
  ready: Promise<void>;
  go(): void;
  exited: Promise<Exit>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { ready: Promise.race([ready, exited.then(() => undefined)]), go: () => child.stdin.end('go\n'), exited };
}

/** Starts the workers, lets them go at the same moment, and returns their JSON answers. */
async function runTogether(argsPerWorker: string[][]): Promise<unknown[]> {
  const workers = argsPerWorker.map(startWorker);
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.go();
  const exits = await Promise.all(workers.map((worker) => worker.exited));
  for (const exit of exits) expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });
  return exits.map((exit) => JSON.parse(exit.stdout.split('\n').filter(Boolean).at(-1)!));
}

describe('two processes on one database file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'lab.db');
    openDatabase(file).close();
  });
  afterEach(() => removeDir(dir));

  it('keeps all 400 runs that two processes write at the same time, with no SQLITE_BUSY', async () => {
    // Each writer waits, after its first run, for the other's first: the writes surely overlap.
    const answers = await runTogether([
      ['write-runs', file, 'left', '200', 'right'],
      ['write-runs', file, 'right', '200', 'left'],
    ]);
    expect(answers).toEqual([{ wrote: 200 }, { wrote: 200 }]);

    const db = openDatabase(file);
    try {
      const counts = db.prepare('SELECT owner_id AS owner, count(*) AS runs FROM runs GROUP BY owner_id ORDER BY owner_id').all();
      expect(counts).toEqual([
        { owner: 'left', runs: 200 },
        { owner: 'right', runs: 200 },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM epochs').get()).toEqual({ n: 400 * 5 });
    } finally {
      db.close();
    }
  });

  it('gives each queued job to exactly one of two processes claiming at once', async () => {
    const setup = openDatabase(file);
    const jobs = new JobStore(setup);
    const ids = Array.from({ length: 60 }, () => jobs.enqueue(sampleJob()).id);
    setup.close();

    const answers = (await runTogether([
      ['claim-jobs', file],
      ['claim-jobs', file],
    ])) as { claimed: number[] }[];

    const all = answers.flatMap((answer) => answer.claimed);
    expect([...all].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(all).size).toBe(ids.length);
  });

  it('recovers after a bot killed mid-job: the running job queued again first, the rest still queued', async () => {
    const exit = await startWorker(['crash-while-running', file]).exited;
    expect(exit.signal).toBe('SIGKILL');

    const db = openDatabase(file);
    try {
      const jobs = new JobStore(db);
      const { rerun, failed, requeued } = jobs.recoverAfterRestart('The bot stopped during this job.');
      expect(rerun.map((job) => [job.userName, job.state, job.interruptions])).toEqual([['first', 'queued', 1]]);
      expect(failed).toEqual([]);
      expect(requeued.map((job) => [job.userName, job.state])).toEqual([
        ['first', 'queued'],
        ['second', 'queued'],
        ['third', 'queued'],
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 3 });
    } finally {
      db.close();
    }
  });
});
