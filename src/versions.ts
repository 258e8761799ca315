import fs from 'node:fs';
import path from 'node:path';

const PACKAGES = ['@tensorflow/tfjs-core', 'discord.js', 'better-sqlite3'];

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [path.join(__dirname, '..')] });
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch (error) {
    return `not found (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Versions of Node, the bot and its main libraries, for /status. */
export function versions(): Record<string, string> {
  const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  return { [own.name]: own.version, node: process.version, ...Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])) };
}
