// Loaded into a trainer process (NODE_OPTIONS=--require) when the tests cannot mount a small file
// system: a write of a file under SMALL_DISK_DIR larger than the bytes named in its .space-left
// file fails with ENOSPC, as on a full disk. Only the boundary is faked; the trainer is real.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.SMALL_DISK_DIR;
const budgetFile = path.join(dir, '.space-left');
const writeFileSync = fs.writeFileSync;

fs.writeFileSync = function writeFileSyncOnASmallDisk(file, data, ...rest) {
  const inside = typeof file === 'string' && path.resolve(file).startsWith(`${dir}${path.sep}`);
  if (inside && fs.existsSync(budgetFile) && Buffer.byteLength(data) > Number(fs.readFileSync(budgetFile, 'utf8'))) {
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });
  }
  return writeFileSync.call(this, file, data, ...rest);
};
