import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { trainerTestEnv } from '../support/trainer-env';

/** `npm start` in console mode, as a teacher without a Discord token would run it. */
function start(args: string[], input?: string, overrides: Record<string, string> = {}) {
  const env = trainerTestEnv({ TRAIN_EXAMPLES: '500', ...overrides });
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: path.join(__dirname, '..', '..'),
    env,
    input,
    encoding: 'utf8',
    // Only ends a hung process: a run of this size takes seconds.
    timeout: 300_000,
  });
  const lines = result.stdout.trim().split('\n').filter(Boolean);
  return { ...result, dataDir: env.DATA_DIR, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('runs one /train command, prints its final answer as JSON and exits 0', () => {
  const run = start(['--json', '/train epochs:3 units:64 seed:4']);
  expect(run.stderr).not.toMatch(/Fashion Lab stopped|TypeError/);
  expect(run.status).toBe(0);
  const [answer] = run.json();
  expect(answer).toMatchObject({ stopReason: { kind: 'completed' }, backend: 'wasm', trainExamples: 500 });
  expect(answer.runId).toEqual(expect.stringMatching(/^r/));
  expect(answer.epochs).toHaveLength(3);
  expect(answer.testAccuracy).toBeGreaterThan(0.5);
  expect(answer.seconds).toBeGreaterThan(0);
  const charts = fs.readdirSync(path.join(run.dataDir, 'console-output'));
  expect(charts).toEqual(expect.arrayContaining([`${answer.runId}-curves.png`, `${answer.runId}-confusion.png`]));
  const png = fs.readFileSync(path.join(run.dataDir, 'console-output', `${answer.runId}-curves.png`));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});

test('prints words, not JSON, without --json; exercise 3 explains the shape problem', () => {
  const run = start(['/exercise 3']);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Exercise 3');
  expect(run.stdout).toMatch(/Without \*\*Flatten\*\*/);
  expect(run.stdout).toContain('(28, 10)');
});

test('a bad option gets a clear message and exit code 1, and nothing is queued', () => {
  const run = start(['--json', '/train early_stopping_patience:2']);
  expect(run.status).toBe(1);
  expect(run.json()[0]).toEqual({ error: { code: 'invalid-options', message: expect.stringContaining('validation_split') } });
});

test('reads commands from standard input, one per line, in Korean when asked', () => {
  const run = start(['--json', '--locale', 'ko'], '/help\n/queue\n/fly\n');
  expect(run.status).toBe(1);
  const answers = run.json();
  expect(answers).toHaveLength(3);
  expect(String(answers[0].help)).toContain('Fashion-MNIST');
  expect(answers[1]).toEqual({ running: [], waiting: [], trainers: [{ number: 1, backend: null, jobId: null, jobsDone: 0 }] });
  expect(answers[2]).toEqual({ error: { code: 'invalid-command', message: expect.stringContaining('`fly` 명령은 없습니다') } });
});

test('a bad environment variable stops start-up with a message naming it', () => {
  const run = start(['/help'], undefined, { MAX_EPOCHS: 'lots' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('MAX_EPOCHS');
});

test('a teacher sets the limits from the console, /train keeps to them, and the change is logged', () => {
  const run = start(['--json'], '/teacher limits max_epochs:3\n/train epochs:5\n/teacher pause\n/teacher log\n');
  const [limits, train, pause, log] = run.json();
  expect(limits).toMatchObject({ limits: { maxEpochs: 3 } });
  expect(train).toEqual({ error: { code: 'invalid-options', message: expect.stringContaining('`epochs` must be at most 3') } });
  expect(pause).toEqual({ error: { code: 'needs-server', message: expect.stringContaining('in the console there is nobody else to hold back') } });
  expect(log).toMatchObject({ log: [{ action: 'limits', details: { max_epochs: 3 } }] });
  expect(run.status).toBe(1);
});

test('trains on the fused CPU engine with TRAINER_BACKEND=onnx, and /predict reads the model it saved', () => {
  const run = start(['--json'], '/train epochs:2 units:64 seed:4\n/predict index:0\n', { TRAINER_BACKEND: 'onnx', TRAINER_THREADS: '2' });
  expect(run.stderr).not.toMatch(/Fashion Lab stopped|TypeError/);
  expect(run.status).toBe(0);
  const [trained, predicted] = run.json();
  expect(trained).toMatchObject({ stopReason: { kind: 'completed' }, backend: 'onnx', trainExamples: 500 });
  expect(trained.testAccuracy).toBeGreaterThan(0.5);
  const probabilities = predicted.probabilities as number[];
  expect(probabilities).toHaveLength(10);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  expect((predicted.ranked as { probability: number }[])[0].probability).toBe(Math.max(...probabilities));
});
