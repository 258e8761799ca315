/**
 * A small disk for the full-disk tests. Where this machine lets the tests mount one (root with
 * CAP_SYS_ADMIN, as on our machines and in CI), a real tmpfs of a few MB that `fill` really fills,
 * for every writer. Otherwise an ordinary folder where the trainer's model files fail at their
 * boundary: a preload makes their writes fail with ENOSPC. SQLite cannot be made full that way,
 * so what needs SQLite full runs only on the tmpfs. SMALL_DISK=boundary forces the second kind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PRELOAD = path.join(__dirname, 'disk-full-preload.cjs');
/** The file that says how many bytes a write under the folder may still take (boundary kind). */
export const BUDGET_FILE = '.space-left';
const FILLER = '.filler';
const CHUNK = 64 * 1024;

export interface SmallDisk {
  readonly dir: string;
  readonly kind: 'tmpfs' | 'boundary';
  /** Environment a trainer process writing here needs (the preload, for the boundary kind). */
  readonly trainerEnv: Record<string, string>;
  /** Leaves about `bytes` free (in the boundary kind: for the trainer's model files only). */
  fill(bytes: number): void;
  /** Gives back the space `fill` took. */
  empty(): void;
  remove(): void;
}

function tryTmpfs(dir: string, bytes: number): boolean {
  if (process.env.SMALL_DISK === 'boundary') return false;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]).status === 0;
}

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Writes zeros into the filler until only `leave` bytes are free (or the disk refuses more). */
function writeFiller(dir: string, leave: number): void {
  const fd = fs.openSync(path.join(dir, FILLER), 'a');
  try {
    const zeros = Buffer.alloc(CHUNK);
    for (let free = freeBytes(dir); free > leave; free = freeBytes(dir)) {
      try {
        fs.writeSync(fd, zeros, 0, Math.min(CHUNK, free - leave));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw error;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-small-disk-'));
  if (tryTmpfs(dir, bytes)) {
    return {
      dir,
      kind: 'tmpfs',
      trainerEnv: {},
      fill: (leave) => writeFiller(dir, leave),
      empty: () => fs.rmSync(path.join(dir, FILLER), { force: true }),
      remove: () => {
        spawnSync('umount', ['-l', dir]);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  return {
    dir,
    kind: 'boundary',
    trainerEnv: { NODE_OPTIONS: `--require ${PRELOAD}`, SMALL_DISK_DIR: dir },
    fill: (leave) => fs.writeFileSync(path.join(dir, BUDGET_FILE), String(leave)),
    empty: () => fs.rmSync(path.join(dir, BUDGET_FILE), { force: true }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
