/**
 * The trainer process, forked by src/jobs/trainer-client.ts: loads Fashion-MNIST once, then runs
 * the jobs the bot sends over the IPC channel (src/trainer/job-runner.ts) and answers with the
 * messages of src/protocol/trainer-messages.ts.
 */
import { loadConfig } from './config';
import { limitsOf } from './experiments/spec';
import { toTrainerSchema, type FromTrainer } from './protocol/trainer-messages';
import { JobHold } from './trainer/job-hold';
import { TrainerJobRunner } from './trainer/job-runner';
import { setUpTrainer } from './trainer/setup';

function send(message: FromTrainer): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { backend, engine, data, trainExamples } = await setUpTrainer(config, (progress) => send({ type: 'download-progress', progress }));
  // A lost GPU device leaves nothing to train on: the process ends (after the job's failure is sent) and the bot starts a fresh one.
  const startAfresh = () => process.disconnect?.();
  const trainer = new TrainerJobRunner(data, backend.name, engine, trainExamples, limitsOf(config), new JobHold(config.TRAINER_HOLD_AFTER_EPOCH), send, startAfresh);
  process.on('message', (raw) => {
    const message = toTrainerSchema.safeParse(raw);
    if (message.success) trainer.receive(message.data);
    else process.stderr.write(`trainer: ignored a malformed message: ${message.error.message}\n`);
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', backend, dataSource: data.source, trainExamples });
}

main().catch((error: unknown) => {
  send({ type: 'startup-failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
