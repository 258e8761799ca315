import type { ExperimentSpec } from '../experiments/spec';
import { toCsv, type CsvCell } from './csv';
import type { StoredRun } from './runs';

/** One spreadsheet column: its header and how to read it from a run. */
interface Column {
  header: string;
  cell: (run: StoredRun) => CsvCell;
}

const specColumn = (header: string, key: keyof ExperimentSpec): Column => ({ header, cell: (run) => run.spec[key] });

const COLUMNS: readonly Column[] = [
  { header: 'run_id', cell: (run) => run.runId },
  { header: 'saved_at', cell: (run) => new Date(run.createdAt).toISOString() },
  // Empty for a run saved before the server's first term.
  { header: 'term', cell: (run) => run.term },
  // Empty for a run the class's results show; a removed run stays in the export, marked so.
  { header: 'removed_at', cell: (run) => (run.removedAt === null ? null : new Date(run.removedAt).toISOString()) },
  { header: 'owner_id', cell: (run) => run.ownerId },
  { header: 'owner_name', cell: (run) => run.ownerName },
  { header: 'channel_id', cell: (run) => run.channelId },
  { header: 'exercise', cell: (run) => run.exercise },
  specColumn('epochs', 'epochs'),
  specColumn('hidden_units', 'hiddenUnits'),
  specColumn('extra_layer_units', 'extraLayerUnits'),
  specColumn('flatten', 'flatten'),
  specColumn('output_units', 'outputUnits'),
  specColumn('normalize', 'normalize'),
  specColumn('batch_size', 'batchSize'),
  specColumn('optimizer', 'optimizer'),
  specColumn('learning_rate', 'learningRate'),
  specColumn('validation_split', 'validationSplit'),
  specColumn('stop_at_accuracy', 'stopAtAccuracy'),
  specColumn('early_stopping_patience', 'earlyStoppingPatience'),
  specColumn('restore_best_weights', 'restoreBestWeights'),
  specColumn('seed', 'seed'),
  { header: 'stop_reason', cell: (run) => run.result.stopReason.kind },
  { header: 'epochs_run', cell: (run) => run.result.epochs.length },
  { header: 'final_loss', cell: (run) => run.result.epochs.at(-1)?.loss ?? null },
  { header: 'final_accuracy', cell: (run) => run.result.epochs.at(-1)?.accuracy ?? null },
  { header: 'final_val_loss', cell: (run) => run.result.epochs.at(-1)?.valLoss ?? null },
  { header: 'final_val_accuracy', cell: (run) => run.result.epochs.at(-1)?.valAccuracy ?? null },
  { header: 'test_loss', cell: (run) => run.result.evaluation?.testLoss ?? null },
  { header: 'test_accuracy', cell: (run) => run.result.evaluation?.testAccuracy ?? null },
  { header: 'seconds', cell: (run) => run.result.seconds },
  { header: 'seconds_per_epoch', cell: (run) => run.result.secondsPerEpoch },
  { header: 'train_examples', cell: (run) => run.result.trainExamples },
  { header: 'backend', cell: (run) => run.result.backend },
  { header: 'model_path', cell: (run) => run.result.modelPath },
];

export const RUNS_CSV_HEADERS = COLUMNS.map((column) => column.header);

/** Runs as CSV with one header row; text cells are quoted and defused by `toCsv`. */
export function runsToCsv(runs: readonly StoredRun[]): string {
  return toCsv([RUNS_CSV_HEADERS, ...runs.map((run) => COLUMNS.map((column) => column.cell(run)))]);
}
