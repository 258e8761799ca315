import fs from 'node:fs';
import path from 'node:path';
import { modelFileSchema, type ModelFile } from '../protocol/worker-messages';

/** The files of a saved model's folder, base64, as a worker sends them; null when they pass `maxBytes`. */
export function readModelFiles(folder: string, maxBytes: number): { files: ModelFile[]; bytes: number } | { files: null; bytes: number } {
  const names = fs.readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
  const sizes = names.map((name) => fs.statSync(path.join(folder, name)).size);
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  if (bytes > maxBytes) return { files: null, bytes };
  return { files: names.map((name) => ({ name, base64: fs.readFileSync(path.join(folder, name)).toString('base64') })), bytes };
}

/** Bytes the files hold once decoded. */
export function decodedSize(files: ModelFile[]): number {
  return files.reduce((sum, file) => sum + Buffer.byteLength(file.base64, 'base64'), 0);
}

/** Writes the files a worker sent into `folder` (each whole or not at all) and returns the folder. */
export function writeModelFiles(folder: string, files: ModelFile[]): string {
  fs.mkdirSync(folder, { recursive: true });
  for (const file of files) {
    // The names come from another machine: only plain names, never a path out of the folder.
    const { name } = modelFileSchema.parse(file);
    const target = path.join(folder, name);
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, Buffer.from(file.base64, 'base64'));
    fs.renameSync(temporary, target);
  }
  return folder;
}
