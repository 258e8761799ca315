import path from 'node:path';
import { ClassModelStore } from '../../src/store/class-models';
import { openDatabase, type Database } from '../../src/store/database';
import { ExerciseThreadStore } from '../../src/store/exercise-threads';
import { JobStore } from '../../src/store/jobs';
import { RunStore } from '../../src/store/runs';
import { ServerSettingsStore } from '../../src/store/server-settings';
import { TeacherLogStore } from '../../src/store/teacher-log';
import { TermStore } from '../../src/store/terms';
import { makeTempDir, removeDir, sampleResult, sampleRun } from './fixtures/samples';

/** Text students (and pranksters) can type into any free-text field. */
const ODD_TEXTS = [
  `O'Brien "the \\ quoter"`,
  `'); DROP TABLE runs;--`,
  `Robert"); DELETE FROM jobs WHERE ("1"="1`,
  '👩‍🔬🧥👟 fashion ✨',
  '김민준 — 셔츠 분류기',
  'line one\nline two\r\nline three',
  Array.from({ length: 31 }, (_, index) => String.fromCharCode(index + 1)).join('') + '\u007f',
  '@everyone @here <@123456789>',
  '%_\\ LIKE wildcards',
  '   padded   ',
  '',
];

describe('odd text in every free-text field', () => {
  let dir: string;
  let file: string;
  let db: Database;

  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'lab.db');
    db = openDatabase(file);
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  /** Reads through a fresh connection, so the text really went to the file and back. */
  function reopened(): Database {
    db.close();
    db = openDatabase(file);
    return db;
  }

  it.each(ODD_TEXTS)('keeps a job verbatim: %j', (text) => {
    const job = new JobStore(db).enqueue({
      kind: 'train',
      payload: { note: text, [text]: [text] },
      userId: text,
      userName: text,
      guildId: text,
      channelId: text,
      locale: text,
      priority: 0,
      replyRef: { messageId: text },
    });
    const jobs = new JobStore(db);
    jobs.claim(job.id);
    jobs.finish(job.id, 'failed', { runId: text, failure: { code: text || 'empty', message: text } });

    expect(new JobStore(reopened()).get(job.id)).toMatchObject({
      payload: { note: text, [text]: [text] },
      userId: text,
      userName: text,
      guildId: text,
      channelId: text,
      locale: text,
      replyRef: { messageId: text },
      runId: text,
      failure: { code: text || 'empty', message: text },
    });
    expect(new JobStore(db).activeForUser(text)).toEqual([]);
  });

  it.each(ODD_TEXTS)('keeps a run verbatim and finds it by that text: %j', (text) => {
    const runId = `r-${text}`;
    const input = sampleRun(runId, {
      ownerId: text,
      ownerName: text,
      guildId: text,
      channelId: text,
      result: sampleResult(runId, { backend: text, modelPath: text }),
    });
    new RunStore(db).saveRun(input);

    const runs = new RunStore(reopened());
    expect(runs.getRun(runId)).toMatchObject(input);
    expect(runs.lastRun(text, text)?.runId).toBe(runId);
    expect(runs.searchRuns(text, text, 5).map((run) => run.runId)).toEqual([runId]);
    expect(runs.leaderboard(text).map((entry) => entry.run.ownerName)).toEqual([text]);
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 1 });
  });

  it.each(ODD_TEXTS)('keeps exercise threads and class models verbatim: %j', (text) => {
    const key = { guildId: text, channelId: text, exercise: 6 };
    const threads = new ExerciseThreadStore(db);
    threads.saveThread(key, text);
    threads.setSummaryMessage(key, text);
    new ClassModelStore(db).save({ path: text, testAccuracy: 0.88, trainingSeconds: 12 });

    const after = reopened();
    expect(new ExerciseThreadStore(after).get(key)).toMatchObject({ ...key, threadId: text, summaryMessageId: text });
    expect(new ClassModelStore(after).latest()?.path).toBe(text);
  });

  it.each(ODD_TEXTS)('keeps what teachers type verbatim: term names, their own names, the server: %j', (text) => {
    const teacher = { id: text, name: text };
    new TermStore(db).start(text, text, teacher);
    new TeacherLogStore(db).record(text, { action: 'new-term', details: { name: text }, actor: teacher });
    new ServerSettingsStore(db).pause(text, teacher);
    new RunStore(db).saveRun(sampleRun('r1', { guildId: text }));

    const after = reopened();
    expect(new TermStore(after).current(text)).toMatchObject({ name: text, startedById: text, startedByName: text });
    expect(new TeacherLogStore(after).latest(text, 5)).toMatchObject([{ action: 'new-term', details: { name: text }, actorId: text, actorName: text }]);
    expect(new ServerSettingsStore(after).pauseOf(text)).toMatchObject({ byId: text, byName: text });
    expect(new RunStore(after).getRun('r1')?.term).toBe(text);
  });

  it('still has every table after the injection attempts', () => {
    const runs = new RunStore(db);
    for (const [index, text] of ODD_TEXTS.entries()) runs.saveRun(sampleRun(`r${index}`, { ownerName: text }));
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all();
    expect(tables.map((table) => (table as { name: string }).name)).toEqual(['class_models', 'epochs', 'exercise_threads', 'jobs', 'runs', 'server_settings', 'teacher_actions', 'terms']);
    expect(runs.history({ guildId: 'g1', limit: 100 }).map((run) => run.ownerName).reverse()).toEqual(ODD_TEXTS);
  });
});
