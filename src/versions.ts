import fs from 'node:fs';
import path from 'node:path';

const PACKAGES = ['@tensorflow/tfjs-core', 'discord.js', 'better-sqlite3'];

const ROOT = path.join(__dirname, '..');

function readVersion(packageJson: string): string {
  return (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** Read from node_modules directly: some packages (discord.js) do not export their package.json. */
function packageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return fs.existsSync(file) ? readVersion(file) : 'not installed';
}

/** Versions of Node, the bot and its main libraries, for /status. */
export function versions(): Record<string, string> {
  return { 'fashion-lab': readVersion(path.join(ROOT, 'package.json')), node: process.version, ...Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])) };
}
