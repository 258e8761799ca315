/**
 * Entry point of `npm start`: with DISCORD_TOKEN the Discord bot, without it console mode.
 * Errors become exit codes here and nowhere else.
 */
import path from 'node:path';
import { loadCommands } from '../commands';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { parseConsoleArguments, runConsole } from './console/console-main';
import { startDiscordBot } from './discord/bot';
import { fileLogger } from './logging';
import { formatDownloadProgress } from './trainer/dataset';

async function main(): Promise<number> {
  const config = loadConfig();
  const commands = loadCommands();
  const app = config.DISCORD_TOKEN
    ? createApp(config)
    : createApp(config, {
        log: fileLogger(path.join(config.dataDir, 'console.log')),
        onDownloadProgress: (progress) => process.stderr.write(`\r${formatDownloadProgress(progress)}`),
      });
  await app.ready();
  if (config.DISCORD_TOKEN) {
    const bot = await startDiscordBot(app, commands, config.DISCORD_TOKEN);
    // Runs until stopped by a signal; then the trainer and database close before Discord does.
    return new Promise<number>((resolve) => {
      const shutDown = () => void app.close().then(() => bot.stop()).then(() => resolve(0));
      process.once('SIGINT', shutDown);
      process.once('SIGTERM', shutDown);
    });
  }
  try {
    app.services.queue.start();
    return await runConsole(commands, app.services, parseConsoleArguments(process.argv.slice(2), process.env));
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error('Fashion Lab stopped:', error);
    process.exit(1);
  },
);
