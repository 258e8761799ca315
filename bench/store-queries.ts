/**
 * `npm run bench -- --store-queries`: the time of a /compare autocomplete answer and of /history
 * with 5,000 runs in the store (target: under 50 ms each), on a fresh database of this machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app';
import type { CommandContext } from '../src/commands/command';
import { compareAutocomplete } from '../src/commands/compare-choices';
import { historyAnswer } from '../src/commands/history-answer';
import type { Services } from '../src/commands/services';
import { parseConfig } from '../src/config';
import { EXERCISES } from '../src/experiments/exercises';
import type { RunResult } from '../src/experiments/results';
import { defaultSpec } from '../src/experiments/spec';
import { translator } from '../src/i18n/translate';
import { openDatabase } from '../src/store/database';
import { RunStore } from '../src/store/runs';

const STORED_RUNS = 5000;
const STUDENTS = 30;
const EPOCHS_PER_RUN = 5;
const REPEATS = 50;
const TARGET_MS = 50;
const GUILD = 'bench-guild';

function benchResult(runId: string, index: number): RunResult {
  return {
    runId,
    epochs: Array.from({ length: EPOCHS_PER_RUN }, (_, epoch) => ({
      epoch: epoch + 1,
      loss: 0.6 / (epoch + 1),
      accuracy: 0.8 + epoch * 0.01,
      valLoss: 0.5 / (epoch + 1),
      valAccuracy: 0.79 + epoch * 0.01,
      seconds: 4 + (index % 3),
    })),
    stopReason: { kind: 'completed' },
    evaluation: {
      testLoss: 0.35,
      testAccuracy: 0.8 + (index % 90) / 1000,
      perClassAccuracy: Array.from({ length: 10 }, () => 0.85),
      confusionMatrix: Array.from({ length: 10 }, (_, row) => Array.from({ length: 10 }, (_, column) => (row === column ? 850 : 16))),
    },
    backend: 'wasm',
    seconds: 20 + (index % 7),
    secondsPerEpoch: 4,
    trainExamples: 60000,
    modelPath: null,
  };
}

/** Fills the store in one transaction, as a term of a busy class would have. */
function fillStore(databaseFile: string): void {
  const db = openDatabase(databaseFile);
  try {
    const runs = new RunStore(db);
    db.transaction(() => {
      for (let index = 0; index < STORED_RUNS; index++) {
        const student = index % STUDENTS;
        const runId = `r${index.toString(36).padStart(4, '0')}`;
        runs.saveRun({
          runId,
          ownerId: `student-${student}`,
          ownerName: `Student ${student}`,
          guildId: GUILD,
          channelId: 'bench-channel',
          exercise: index % 3 === 0 ? null : EXERCISES[index % EXERCISES.length].number,
          spec: defaultSpec({ epochs: EPOCHS_PER_RUN, hiddenUnits: 128 * (1 + (index % 4)) }),
          result: benchResult(runId, index),
        });
      }
    })();
  } finally {
    db.close();
  }
}

/** A context for reading answers only; nothing here replies. */
function readingContext(services: Services): CommandContext {
  const noReply = () => Promise.reject(new Error('the store bench only reads answers'));
  return {
    user: { id: 'student-0', name: 'Student 0' },
    guildId: GUILD,
    channelId: 'bench-channel',
    locale: 'en',
    t: translator('en'),
    isTeacher: false,
    services,
    reply: noReply,
    progress: noReply,
    followUp: noReply,
    postInThread: noReply,
  };
}

async function timesMs(work: () => Promise<unknown> | unknown): Promise<number[]> {
  await work();
  const times: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function describeTimes(what: string, times: number[]): string {
  const median = times[Math.floor(times.length / 2)];
  const worst = times[times.length - 1];
  const verdict = median < TARGET_MS ? 'within' : 'over';
  return `${what}: median ${median.toFixed(2)} ms, slowest ${worst.toFixed(2)} ms of ${REPEATS} (${verdict} the ${TARGET_MS} ms target)`;
}

/** Prints the time of the two answers that read the most runs. */
export async function benchStoreQueries(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-lab-store-bench-'));
  try {
    const config = parseConfig({ DATA_DIR: dataDir });
    fillStore(config.databaseFile);
    const app = createApp(config, { log: { info: () => undefined, error: () => undefined } });
    try {
      const ctx = readingContext(app.services);
      console.log(`\nStore queries with ${STORED_RUNS} runs of ${STUDENTS} students (${EPOCHS_PER_RUN} epochs each):`);
      console.log(describeTimes('  /compare autocomplete, nothing typed', await timesMs(() => compareAutocomplete(ctx, ''))));
      console.log(describeTimes('  /compare autocomplete, "stu" typed', await timesMs(() => compareAutocomplete(ctx, 'stu'))));
      console.log(describeTimes('  /history', await timesMs(() => historyAnswer(ctx, ctx.user))));
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
