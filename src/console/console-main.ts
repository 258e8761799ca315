import path from 'node:path';
import readline from 'node:readline';
import type { Command } from '../commands/command';
import { runSlashCommand } from '../commands/dispatch';
import type { Services } from '../commands/services';
import { localeFrom, type Locale } from '../i18n/translate';
import { parseCommandLine } from './command-line';
import { createConsoleContext, type ConsoleOutput } from './console-context';

export interface ConsoleOptions {
  /** Commands given on the command line; none means read them from standard input. */
  commands: string[];
  json: boolean;
  locale: Locale;
}

/** `npm start -- --json --locale ko "/train epochs:1"` → the commands, --json, and the locale. */
export function parseConsoleArguments(argv: string[], env: { LANG?: string }): ConsoleOptions {
  const commands: string[] = [];
  let json = false;
  let locale = localeFrom(env.LANG);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--locale') locale = localeFrom(argv[++i]);
    else commands.push(argv[i]);
  }
  return { commands, json, locale };
}

function consoleOutput(services: Services, json: boolean): ConsoleOutput {
  // In --json mode standard output carries only the JSON lines; words go to standard error.
  const write = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const status = process.stderr.isTTY ? (line: string) => process.stderr.write(`\r\x1b[2K${line}`) : null;
  return { text: write, status, folder: path.join(services.config.dataDir, 'console-output') };
}

/** Runs one typed command; resolves to true when it ended without an error. */
export async function runConsoleLine(line: string, commands: readonly Command[], services: Services, options: ConsoleOptions): Promise<boolean> {
  const output = consoleOutput(services, options.json);
  const ctx = createConsoleContext(services, options.locale, output);
  const parsed = parseCommandLine(line, commands, ctx.t);
  if (!parsed.ok) await ctx.reply({ content: parsed.message, data: { error: { code: 'invalid-command', message: parsed.message } } });
  else if (parsed.command.kind === 'slash') await runSlashCommand(ctx, parsed.command, parsed.options);
  const data = ctx.lastAnswer?.data ?? {};
  if (options.json) process.stdout.write(`${JSON.stringify(data)}\n`);
  return !(typeof data === 'object' && data !== null && 'error' in data);
}

/** Console mode: the commands from the command line, or one per line of standard input. */
export async function runConsole(commands: readonly Command[], services: Services, options: ConsoleOptions): Promise<number> {
  let failures = 0;
  if (options.commands.length > 0) {
    for (const line of options.commands) if (!(await runConsoleLine(line, commands, services, options))) failures += 1;
    return failures === 0 ? 0 : 1;
  }
  const input = readline.createInterface({ input: process.stdin, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('Fashion Lab console. Type /help, or Ctrl+D to leave.\n> ');
  for await (const line of input) {
    if (line.trim() !== '' && !(await runConsoleLine(line, commands, services, options))) failures += 1;
    if (process.stdin.isTTY) process.stderr.write('> ');
  }
  return failures === 0 ? 0 : 1;
}
