import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { measurementSchema, type Measurement } from './measurement-messages';

/** Whether `python3` here can import torch (every machine of ours has the CPU wheel in /opt/wheels). */
export function pytorchAvailable(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `python3 cannot run (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, reason: 'python3 has no torch (pip install /opt/wheels/torch-*.whl)' };
  return { ok: true };
}

/**
 * One epoch of the course model in PyTorch (bench/pytorch-epoch.py), in its own process. Its
 * OpenMP threads wait passively (unless OMP_WAIT_POLICY says otherwise), as the fused CPU
 * engine's do: spinning, PyTorch took 30 s an epoch at batch 128 on the busy 2-core machine
 * where it took 4.2 s without.
 */
export function measurePytorch(job: { dataDir: string; batchSize: number; examples: number; threads: number }): Measurement {
  const script = path.join(__dirname, 'pytorch-epoch.py');
  const run = spawnSync('python3', [script, job.dataDir, String(job.batchSize), String(job.examples), String(job.threads)], {
    encoding: 'utf8',
    env: { OMP_WAIT_POLICY: 'PASSIVE', ...process.env },
  });
  if (run.status !== 0) {
    throw new Error(`bench/pytorch-epoch.py failed (exit ${run.status}): ${(run.stderr || String(run.error)).trim().split('\n').slice(-5).join('\n')}`);
  }
  const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
  return measurementSchema.parse(JSON.parse(lastLine));
}
