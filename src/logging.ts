import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from './logger';

function describeCause(cause: unknown): string {
  if (cause === undefined) return '';
  return cause instanceof Error ? ` ${cause.stack ?? cause.message}` : ` ${String(cause)}`;
}

/** The bot's log on standard error, for a server's log collector. */
export const stderrLogger: Logger = {
  info: (message) => console.error(message),
  error: (message, cause) => console.error(`${message}${describeCause(cause)}`),
};

/**
 * A log in a file, for console mode: the terminal shows the answers, and start-up notes of the
 * trainer (Dawn, TensorFlow.js) or the cause of an error go to the file.
 */
export function fileLogger(file: string): Logger {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const write = (level: string, text: string) => fs.appendFileSync(file, `${new Date().toISOString()} ${level} ${text}\n`);
  return {
    info: (message) => write('info', message),
    error: (message, cause) => write('error', `${message}${describeCause(cause)}`),
  };
}
