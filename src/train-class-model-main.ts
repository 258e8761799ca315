/**
 * `npm run train-class-model`: trains the class model that answers `/classify`, saves it in
 * DATA_DIR/class-model and records its test accuracy and training time in the lab's database,
 * where `/status` shows them. The bot's trainer can also train it on its own the first time a
 * photo needs it; this is for teachers who want it ready beforehand.
 */
import { ConfigError, loadConfig } from './config';
import type { BatchProgress, EpochMetrics } from './experiments/results';
import { ClassModelStore } from './store/class-models';
import { openDatabase } from './store/database';
import { BackendUnavailableError } from './trainer/backend';
import { trainClassModel } from './trainer/class-model-training';
import { DatasetError, formatDownloadProgress } from './trainer/dataset';
import { setUpTrainer } from './trainer/setup';

/** Back to the start of the line, and erase it. */
const CLEAR_LINE = '\r\x1b[2K';

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function describeEpoch(metrics: EpochMetrics): string {
  return `epoch ${metrics.epoch}: loss ${metrics.loss.toFixed(4)}, accuracy ${percent(metrics.accuracy)}, ${metrics.seconds.toFixed(1)} s`;
}

function describeBatch(progress: BatchProgress): string {
  return `epoch ${progress.epoch}, batch ${progress.batch}/${progress.batches}: loss ${progress.loss.toFixed(4)}, accuracy ${percent(progress.accuracy)}`;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const { backend, data, trainExamples } = await setUpTrainer(config, (progress) => process.stderr.write(`\r${formatDownloadProgress(progress)}`));
  console.log(`Backend: ${backend.name} (${backend.detail})`);
  const folder = config.classModelDir;
  console.log(`Training the class model on ${trainExamples} images from ${data.source}`);
  // On a terminal the running figures of the epoch overwrite each other; in a log only epochs show.
  const live = process.stdout.isTTY;
  const result = await trainClassModel(data, {
    folder,
    trainExamples,
    onEpoch: (metrics) => process.stdout.write(`${live ? CLEAR_LINE : ''}${describeEpoch(metrics)}\n`),
    onBatch: live ? (progress) => process.stdout.write(`${CLEAR_LINE}${describeBatch(progress)}`) : undefined,
  });
  // Nothing here cancels training; a null result would mean a bug, not a user's choice.
  if (!result) throw new Error('training of the class model stopped before the end');
  const db = openDatabase(config.databaseFile);
  try {
    new ClassModelStore(db).save({ path: folder, testAccuracy: result.testAccuracy, trainingSeconds: result.seconds });
  } finally {
    db.close();
  }
  console.log(`Test accuracy ${percent(result.testAccuracy)} after ${result.seconds.toFixed(0)} s; saved in ${folder}`);
  return 0;
}

/** Errors the user can fix from the message alone; anything else is printed with its stack. */
function isExplained(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof BackendUnavailableError || error instanceof DatasetError;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (isExplained(error)) console.error(error.message);
      else console.error('Training the class model failed:', error);
      process.exit(1);
    },
  );
}
