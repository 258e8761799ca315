/**
 * A real worker of `npm run worker` (src/worker-main.ts) as a child process, with its own trainer
 * pool, taking jobs from the Redis in REDIS_URL.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');
const TAKES_JOBS = /worker (\S+) takes jobs/;
const START_DEADLINE_MS = 3 * 60_000;

export interface WorkerProcess {
  /** Its id, as its heartbeat names it. */
  readonly id: string;
  readonly pid: number;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts a worker and resolves once it takes jobs (its trainers have loaded the data). */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'worker-main.ts')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const id = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`the worker did not take jobs within ${START_DEADLINE_MS} ms:\n${output}`)), START_DEADLINE_MS);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = TAKES_JOBS.exec(output);
        if (match) {
          clearTimeout(deadline);
          resolve(match[1]);
        }
      });
    }
    void exited.then(({ code, signal }) => {
      clearTimeout(deadline);
      reject(new Error(`the worker exited (${signal ?? `code ${code}`}) before it took jobs:\n${output}`));
    });
  });
  if (child.pid === undefined) throw new Error('the worker has no pid');
  return { id, pid: child.pid, output: () => output, exited, kill: (signal) => child.kill(signal) };
}
