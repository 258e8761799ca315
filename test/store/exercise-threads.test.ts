import path from 'node:path';
import { openDatabase, type Database } from '../../src/store/database';
import { ExerciseThreadStore } from '../../src/store/exercise-threads';
import { makeTempDir, removeDir } from './fixtures/samples';

describe('ExerciseThreadStore', () => {
  let dir: string;
  let db: Database;
  let threads: ExerciseThreadStore;
  const key = { guildId: 'g1', channelId: 'c1', exercise: 6 };

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
    threads = new ExerciseThreadStore(db, { now: () => 42 });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('knows no thread before one is saved', () => {
    expect(threads.get(key)).toBeUndefined();
  });

  it('remembers the thread and then its pinned summary message', () => {
    expect(threads.saveThread(key, 't1')).toEqual({ ...key, threadId: 't1', summaryMessageId: null, updatedAt: 42 });
    expect(threads.setSummaryMessage(key, 'm1')).toEqual({ ...key, threadId: 't1', summaryMessageId: 'm1', updatedAt: 42 });
    expect(threads.get(key)?.summaryMessageId).toBe('m1');
  });

  it('keeps one thread per server, channel and exercise', () => {
    threads.saveThread(key, 't1');
    threads.saveThread({ ...key, exercise: 7 }, 't2');
    threads.saveThread({ ...key, channelId: 'c2' }, 't3');
    threads.saveThread({ ...key, guildId: 'g2' }, 't4');
    expect(threads.get(key)?.threadId).toBe('t1');
    expect(threads.get({ ...key, exercise: 7 })?.threadId).toBe('t2');
    expect(threads.get({ ...key, channelId: 'c2' })?.threadId).toBe('t3');
    expect(threads.get({ ...key, guildId: 'g2' })?.threadId).toBe('t4');
  });

  it('replaces a deleted thread and forgets its old summary message', () => {
    threads.saveThread(key, 't1');
    threads.setSummaryMessage(key, 'm1');
    expect(threads.saveThread(key, 't2')).toMatchObject({ threadId: 't2', summaryMessageId: null });
  });

  it('forgets a thread', () => {
    threads.saveThread(key, 't1');
    expect(threads.forget(key)).toBe(true);
    expect(threads.forget(key)).toBe(false);
    expect(threads.get(key)).toBeUndefined();
  });

  it('refuses a summary message for a thread it does not know', () => {
    expect(() => threads.setSummaryMessage(key, 'm1')).toThrow(/no thread is recorded for exercise 6/);
  });
});
