import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { DataError } from '../../lib/data/types.ts';
import type { MetricRow } from '../../lib/experiments/metric-row.ts';
import {
  appendResults,
  formatResultsCsv,
  mergeResults,
  parseResultsCsv,
  readResultsCsv,
  RESULTS_CSV_PARSE,
  RESULTS_HEADER,
  resultsTable,
  writeResultsCsv,
} from '../../lib/experiments/results-csv.ts';

const row = (over: Partial<MetricRow>): MetricRow => ({
  runId: 'r0',
  dataset: 'cityscapes',
  task: 'instance-segmentation',
  region: 'face',
  method: 'blur',
  seed: 0,
  metric: 'segm/AP',
  value: 36.4,
  ...over,
});

const ROWS: MetricRow[] = [
  row({ budget: 'standard', trainer: 'quick' }),
  row({ metric: 'segm/AP-person', value: NaN }),
  row({ runId: 'run,"quoted"', method: 'realistic + HM', seed: 2, value: 0.1 + 0.2 }),
  row({ runId: '007', metric: 'note\nwith newline', value: -1.5e-7 }),
];

test('write: exact text, header without index column, NaN as empty cell, RFC 4180 quoting', () => {
  const text = formatResultsCsv(ROWS);
  assert.equal(
    text,
    [
      RESULTS_HEADER,
      'r0,cityscapes,instance-segmentation,face,blur,0,segm/AP,36.4,standard,quick',
      'r0,cityscapes,instance-segmentation,face,blur,0,segm/AP-person,,,',
      '"run,""quoted""",cityscapes,instance-segmentation,face,realistic + HM,2,segm/AP,0.30000000000000004,,',
      '007,cityscapes,instance-segmentation,face,blur,0,"note\nwith newline",-1.5e-7,,',
      '',
    ].join('\n'),
  );
});

test('round trip: values bit-exact, NaN back as NaN, quoted fields back as written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'results-csv-'));
  try {
    const file = join(dir, 'sub', 'r.csv');
    await writeResultsCsv(file, ROWS);
    const back = await readResultsCsv(file);
    assert.deepEqual(back, ROWS); // deepEqual treats NaN as equal to NaN
    assert.ok(Number.isNaN(back[1]!.value));
    // only the target is left in the folder: the temporary file was renamed
    assert.deepEqual(await readdir(join(dir, 'sub')), ['r.csv']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('arquero reads the file: loadCSV with RESULTS_CSV_PARSE gives the rows (empty cell as null); plain fromCSV infers the same numbers', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'results-csv-'));
  try {
    const file = join(dir, 'r.csv');
    await writeResultsCsv(file, ROWS);
    const t = await aq.loadCSV(file, RESULTS_CSV_PARSE);
    assert.deepEqual(t.columnNames(), ['run_id', 'dataset', 'task', 'region', 'method', 'seed', 'metric', 'value', 'budget', 'trainer']);
    assert.deepEqual(t.array('budget'), ['standard', null, null, null]);
    assert.equal(t.numRows(), 4);
    assert.deepEqual(t.array('run_id'), ['r0', 'r0', 'run,"quoted"', '007']);
    assert.deepEqual(t.array('metric'), ['segm/AP', 'segm/AP-person', 'segm/AP', 'note\nwith newline']);
    assert.deepEqual(t.array('seed'), [0, 0, 2, 0]);
    const v = t.array('value') as number[];
    assert.equal(v[0], 36.4);
    assert.equal(v[1], null);
    assert.equal(v[2], 0.30000000000000004);
    assert.equal(v[3], -1.5e-7);
    // the same through the arquero table built from the rows
    assert.deepEqual(resultsTable(ROWS).objects(), t.objects());

    // arquero's own type inference: numbers for numeric columns, null for the empty value cell
    const plain = aq.fromCSV(await readFile(file, 'utf8'));
    assert.deepEqual(plain.array('seed'), [0, 0, 2, 0]);
    assert.equal((plain.array('value') as unknown[])[1], null);
    assert.equal((plain.array('value') as unknown[])[0], 36.4);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('files written before the budget and trainer columns are read as they are', () => {
  const old = 'run_id,dataset,task,region,method,seed,metric,value\nr0,cityscapes,seg,face,blur,0,segm/AP,1\n';
  assert.deepEqual(parseResultsCsv(old, 'old.csv'), [{ runId: 'r0', dataset: 'cityscapes', task: 'seg', region: 'face', method: 'blur', seed: 0, metric: 'segm/AP', value: 1 }]);
  assert.throws(() => parseResultsCsv(old.replace('segm/AP,1', 'segm/AP,1,standard,quick'), 'old.csv'), /old\.csv: line 2: record: expected 8 fields, got 10/);
});

test('bad files: header, field count, seed, value, duplicate key, pandas NA strings, infinite value', () => {
  const body = 'r0,cityscapes,seg,face,blur,0,segm/AP,1\n';
  // the eight columns without budget and trainer, a header still read
  const OLD_HEADER = 'run_id,dataset,task,region,method,seed,metric,value';
  assert.throws(() => parseResultsCsv('', 'e.csv'), /e\.csv: line 1: header: empty file/);
  assert.throws(() => parseResultsCsv('idx,' + RESULTS_HEADER + '\n', 'h.csv'), /h\.csv: line 1: header: expected 'run_id,dataset/);
  assert.throws(() => parseResultsCsv(RESULTS_HEADER + '\nr0,cityscapes\n', 'f.csv'), /f\.csv: line 2: record: expected 10 fields, got 2/);
  assert.throws(() => parseResultsCsv(OLD_HEADER + '\nr0,c,t,face,blur,1.5,m,1\n', 'f.csv'), /line 2: seed: expected an integer, got '1.5'/);
  assert.throws(() => parseResultsCsv(OLD_HEADER + '\nr0,c,t,face,blur,1,m,abc\n', 'f.csv'), /line 2: value: expected a number or an empty cell, got 'abc'/);
  assert.throws(() => parseResultsCsv(OLD_HEADER + '\nr0,c,t,face,blur,1,m,Infinity\n', 'f.csv'), /line 2: value: expected a number/);
  assert.throws(() => parseResultsCsv(OLD_HEADER + '\n' + body + '\n' + body, 'd.csv'), (e: unknown) => e instanceof DataError && /d\.csv: line 4: run_id,metric: \(r0, segm\/AP\) repeats line 2/.test(e.message));
  assert.throws(() => parseResultsCsv(OLD_HEADER + '\nr0,c,t,NA,blur,1,m,1\n', 'f.csv'), /line 2: region: 'NA' reads as a missing value in pandas/);
  assert.throws(() => parseResultsCsv(OLD_HEADER + '\nr0,,t,face,blur,1,m,1\n', 'f.csv'), /line 2: dataset: must not be empty/);
  assert.throws(() => formatResultsCsv([row({ value: Infinity })], 'w.csv'), /w\.csv: row 0: value: must be finite or NaN/);
  assert.throws(() => formatResultsCsv([row({ seed: 0.5 })], 'w.csv'), /w\.csv: row 0: seed: expected an integer/);
  assert.throws(() => formatResultsCsv([row({}), row({ value: 1 })], 'w.csv'), /row 1: run_id,metric: \(r0, segm\/AP\) repeats row 0/);
  // 'none' (lower case) is not a pandas NA string: the region of the original runs
  assert.equal(parseResultsCsv(OLD_HEADER + '\nr0,c,t,none,original,1,m,\n', 'f.csv')[0]!.region, 'none');
});

test('merge by (run_id, metric): replaced in place, new keys appended, duplicate additions refused', () => {
  const a = row({ runId: 'a' });
  const b = row({ runId: 'b' });
  const b2 = row({ runId: 'b', value: 99 });
  const c = row({ runId: 'c' });
  assert.deepEqual(mergeResults([a, b], [c, b2]), [a, b2, c]);
  assert.throws(() => mergeResults([a], [c, c], 'm.csv'), /m\.csv: added row 1: run_id,metric: \(c, segm\/AP\) repeats added row 0/);
});

test('appendResults: creates the file, merges, and concurrent appends lose no row', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'results-csv-'));
  try {
    const file = join(dir, 'r.csv');
    assert.equal(await appendResults(file, [row({ runId: 'a' })]), 1);
    assert.equal(await appendResults(file, [row({ runId: 'a', value: 1 }), row({ runId: 'b' })]), 2);
    assert.deepEqual((await readResultsCsv(file)).map((r) => [r.runId, r.value]), [['a', 1], ['b', 36.4]]);
    // twelve writers at once, each adding its own run: every row arrives
    await Promise.all(Array.from({ length: 12 }, (_, i) => appendResults(file, [row({ runId: `w${i}`, seed: i })], { retryMs: 1 })));
    const all = await readResultsCsv(file);
    assert.equal(all.length, 14);
    assert.deepEqual(new Set(all.map((r) => r.runId)), new Set(['a', 'b', ...Array.from({ length: 12 }, (_, i) => `w${i}`)]));
    assert.deepEqual(await readdir(dir), ['r.csv']); // no lock or temp file left
    // a stale lock (owner process gone) is taken over
    await writeFile(`${file}.lock`, '2147483646');
    assert.equal(await appendResults(file, [row({ runId: 'z' })], { timeoutMs: 2000 }), 15);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
