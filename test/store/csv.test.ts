import path from 'node:path';
import { neutraliseFormula, toCsv } from '../../src/store/csv';
import { openDatabase, type Database } from '../../src/store/database';
import { RUNS_CSV_HEADERS, runsToCsv } from '../../src/store/runs-csv';
import { RunStore } from '../../src/store/runs';
import { parseCsv } from './fixtures/parse-csv';
import { makeTempDir, removeDir, sampleRun } from './fixtures/samples';

describe('toCsv', () => {
  it('quotes fields with commas, quotes or line breaks and doubles the quotes', () => {
    expect(toCsv([['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere']])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\rhere"\r\n',
    );
  });

  it('writes numbers and booleans as they are and null as an empty field', () => {
    expect(toCsv([[0.875, -1.5, true, null, 'x']])).toBe('0.875,-1.5,true,,x\r\n');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    const row = ['=HYPERLINK("http://evil","x")', '+1', '-2+3', '@SUM(A1)', '\t=1', 'a=b', "'already"];
    expect(parseCsv(toCsv([row]))[0]).toEqual([
      `'=HYPERLINK("http://evil","x")`,
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\t=1",
      'a=b',
      "'already",
    ]);
  });

  it('only prefixes text that starts with a formula character', () => {
    expect(neutraliseFormula('=1')).toBe("'=1");
    expect(neutraliseFormula('x=1')).toBe('x=1');
    expect(neutraliseFormula('')).toBe('');
  });
});

describe('the CSV of a server’s runs', () => {
  let dir: string;
  let db: Database;
  let runs: RunStore;

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'lab.db'));
    runs = new RunStore(db);
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it("writes a header and one record per run of the server, oldest first, that reads back verbatim", () => {
    runs.saveRun(sampleRun('r1', { ownerName: 'Ada, "the first"\nLovelace', exercise: 6 }, { seed: 3, learningRate: 0.002 }));
    runs.saveRun(sampleRun('r2', { ownerName: '=cmd|"/c calc"!A1' }));
    runs.saveRun(sampleRun('r3', { guildId: 'another-server' }));

    const rows = parseCsv(runsToCsv(runs.runsOfServer('g1')));
    expect(rows[0]).toEqual(RUNS_CSV_HEADERS);
    const records = rows.slice(1).map((row) => Object.fromEntries(RUNS_CSV_HEADERS.map((header, index) => [header, row[index]])));
    expect(records.map((record) => record.run_id)).toEqual(['r1', 'r2']);
    expect(records[0]).toMatchObject({
      owner_name: 'Ada, "the first"\nLovelace',
      exercise: '6',
      seed: '3',
      learning_rate: '0.002',
      flatten: 'true',
      extra_layer_units: '',
      stop_reason: 'completed',
      epochs_run: '3',
      test_accuracy: '0.87',
      backend: 'wasm',
    });
    expect(records[0].saved_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(records[1].owner_name).toBe(`'=cmd|"/c calc"!A1`);
  });

  it('gives only the header for a server without runs', () => {
    expect(parseCsv(runsToCsv(runs.runsOfServer('empty')))).toEqual([RUNS_CSV_HEADERS]);
  });
});
