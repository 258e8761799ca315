/**
 * Entry point of `npm run worker`: trains the jobs of the queue on REDIS_URL with this machine's
 * trainers until stopped by a signal. Errors become exit codes here and nowhere else.
 */
import { ConfigError, loadConfig } from './config';
import { stderrLogger } from './logging';
import { createWorker } from './worker-app';

async function main(): Promise<number> {
  const config = loadConfig();
  const { REDIS_URL } = config;
  if (!REDIS_URL) throw new ConfigError('npm run worker needs REDIS_URL: the Redis of the bot’s training queue (e.g. redis://bot-machine:6379).');
  const worker = createWorker({ ...config, REDIS_URL }, stderrLogger);
  await worker.start();
  // A first signal lets the jobs in hand finish; a second ends them now.
  return new Promise<number>((resolve) => {
    let signals = 0;
    const shutDown = () => {
      signals += 1;
      if (signals === 1) void worker.stop().then(() => resolve(0));
      else worker.stopNow();
    };
    process.on('SIGINT', shutDown);
    process.on('SIGTERM', shutDown);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error('The Fashion Lab worker stopped:', error);
    process.exit(1);
  },
);
