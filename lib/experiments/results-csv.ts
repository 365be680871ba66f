// results/*.csv: MetricRows as plain CSV that pandas, arquero, danfojs and R read as they are.
//
//   run_id,dataset,task,region,method,seed,metric,value,budget,trainer
//
// budget and trainer (the grid's compute budget and the trainer preset of the run) are empty for
// rows not made by a grid; files with the first eight columns only (written before they existed)
// are read as well. No index column. A NaN value is an empty cell (pandas reads it as NaN, arquero as null).
// Fields are quoted as RFC 4180 says (lib/experiments/csv.ts), records end with LF. Numbers are
// written in JavaScript's shortest round-trip form, which pandas and arquero parse back to the same
// double. Every write is atomic (temp file, then rename); `appendResults` reads the file, merges the
// new rows by (run_id, metric) under a lock and rewrites it, so concurrent writers lose nothing.
//
// Checked by hand with pandas 1.5.3 (Debian 12 python3-pandas): pd.read_csv of a file written here
// gives dtypes object/int64/float64, NaN for the empty cells and the quoted fields (commas, quotes,
// newlines) unquoted. pandas' default float parser can be one bit off (0.30000000000000004 came back
// as 0.3): pass float_precision='round_trip' for the exact doubles. A string column whose values all
// look like numbers (run ids 1, 2, ...) is inferred numeric by pandas: pass dtype={'run_id': str}.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as aq from 'arquero';
import { writeFileAtomic } from '../data/atomic.ts';
import { DataError } from '../data/types.ts';
import { formatCsv, parseCsv } from './csv.ts';
import { withFileLock, type LockOptions } from './file-lock.ts';
import { checkMetricRow, rowKey, type MetricRow } from './metric-row.ts';

export const RESULTS_COLUMNS = ['run_id', 'dataset', 'task', 'region', 'method', 'seed', 'metric', 'value', 'budget', 'trainer'] as const;
export const RESULTS_HEADER = RESULTS_COLUMNS.join(',');
/** The header of files written before the budget and trainer columns. */
const OLD_HEADER = RESULTS_COLUMNS.slice(0, 8).join(',');

/** A value as written: shortest round-trip decimal, NaN as ''. */
export function formatValue(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/** Refuses a second row with the same (run_id, metric). */
function checkUnique(rows: readonly MetricRow[], file: string, where: (i: number) => string): void {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = rowKey(r);
    const prev = seen.get(k);
    if (prev !== undefined) throw new DataError(file, where(i), 'run_id,metric', `(${r.runId}, ${r.metric}) repeats ${where(prev)}`);
    seen.set(k, i);
  });
}

/** The CSV text of `rows` (header first). Rows are checked; `file` names the target in errors. */
export function formatResultsCsv(rows: readonly MetricRow[], file = '<results>'): string {
  rows.forEach((r, i) => checkMetricRow(r, file, `row ${i}`));
  checkUnique(rows, file, (i) => `row ${i}`);
  const records: string[][] = [[...RESULTS_COLUMNS]];
  for (const r of rows) records.push([r.runId, r.dataset, r.task, r.region, r.method, String(r.seed), r.metric, formatValue(r.value), r.budget ?? '', r.trainer ?? '']);
  return formatCsv(records);
}

/** Parses results CSV text; every problem names `file`, the line and the column. */
export function parseResultsCsv(text: string, file = '<results>'): MetricRow[] {
  const records = parseCsv(text, file);
  if (records.length === 0) throw new DataError(file, 'line 1', 'header', `empty file; expected the header ${RESULTS_HEADER}`);
  const header = records[0]!.fields.join(',');
  if (header !== RESULTS_HEADER && header !== OLD_HEADER) throw new DataError(file, 'line 1', 'header', `expected '${RESULTS_HEADER}', got '${header}'`);
  const columns = records[0]!.fields.length;
  const rows: MetricRow[] = [];
  const lines: number[] = [];
  for (const rec of records.slice(1)) {
    const where = `line ${rec.line}`;
    const f = rec.fields;
    if (f.length !== columns) throw new DataError(file, where, 'record', `expected ${columns} fields, got ${f.length}`);
    const seedText = f[5]!;
    if (!/^-?\d+$/.test(seedText)) throw new DataError(file, where, 'seed', `expected an integer, got '${seedText}'`);
    const valueText = f[7]!;
    let value = NaN;
    if (valueText !== '') {
      value = Number(valueText);
      // Number('') and Number(' ') are 0 and 'Infinity' parses; accept plain decimals and NaN spellings only
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(valueText)) {
        if (valueText === 'NaN' || valueText === 'nan') value = NaN;
        else throw new DataError(file, where, 'value', `expected a number or an empty cell, got '${valueText}'`);
      }
    }
    const row: MetricRow = { runId: f[0]!, dataset: f[1]!, task: f[2]!, region: f[3]!, method: f[4]!, seed: Number(seedText), metric: f[6]!, value };
    if (f[8]) row.budget = f[8];
    if (f[9]) row.trainer = f[9];
    rows.push(checkMetricRow(row, file, where));
    lines.push(rec.line);
  }
  checkUnique(rows, file, (i) => `line ${lines[i]}`);
  return rows;
}

/** Reads a results CSV file. */
export async function readResultsCsv(file: string): Promise<MetricRow[]> {
  return parseResultsCsv(await readFile(file, 'utf8'), file);
}

/** Writes `rows` to `file` atomically (replacing it). */
export async function writeResultsCsv(file: string, rows: readonly MetricRow[]): Promise<void> {
  await writeFileAtomic(file, formatResultsCsv(rows, file));
}

/**
 * `existing` with `added` merged in by (run_id, metric): a row with a key already present replaces
 * the old one in its place, new keys follow in their order. Two added rows with one key are an error.
 */
export function mergeResults(existing: readonly MetricRow[], added: readonly MetricRow[], file = '<results>'): MetricRow[] {
  checkUnique(added, file, (i) => `added row ${i}`);
  const out = existing.slice();
  const at = new Map<string, number>();
  out.forEach((r, i) => at.set(rowKey(r), i));
  for (const r of added) {
    const k = rowKey(r);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(r);
    } else {
      out[i] = r;
    }
  }
  return out;
}

/**
 * Adds rows to a results file (creating it when absent): read, merge by (run_id, metric), rewrite
 * atomically, all under the file's lock. Returns the number of rows now in the file.
 */
export async function appendResults(file: string, rows: readonly MetricRow[], lock: LockOptions = {}): Promise<number> {
  rows.forEach((r, i) => checkMetricRow(r, file, `added row ${i}`));
  await mkdir(dirname(file), { recursive: true });
  return withFileLock(
    file,
    async () => {
      let existing: MetricRow[] = [];
      try {
        existing = await readResultsCsv(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      const merged = mergeResults(existing, rows, file);
      await writeResultsCsv(file, merged);
      return merged.length;
    },
    lock,
  );
}

/**
 * arquero parse options for a results CSV: strings stay strings (arquero's type inference would turn
 * a run id like `007` into the number 7) and seed and value are numbers. arquero reads an empty cell
 * as null (its missing value, which its aggregates skip) without calling a parser, so a NaN value comes
 * back as null. Use with `aq.fromCSV(text, RESULTS_CSV_PARSE)` or `aq.loadCSV(file, RESULTS_CSV_PARSE)`.
 */
export const RESULTS_CSV_PARSE = {
  parse: {
    run_id: (s: string) => s,
    dataset: (s: string) => s,
    task: (s: string) => s,
    region: (s: string) => s,
    method: (s: string) => s,
    seed: (s: string) => Number(s),
    metric: (s: string) => s,
    value: (s: string) => Number(s),
    budget: (s: string) => s,
    trainer: (s: string) => s,
  },
};

/** MetricRows as an arquero table with the CSV's column names; NaN values are null, as when arquero reads the CSV. */
export function resultsTable(rows: readonly MetricRow[]): aq.ColumnTable {
  return aq.table({
    run_id: rows.map((r) => r.runId),
    dataset: rows.map((r) => r.dataset),
    task: rows.map((r) => r.task),
    region: rows.map((r) => r.region),
    method: rows.map((r) => r.method),
    seed: rows.map((r) => r.seed),
    metric: rows.map((r) => r.metric),
    value: rows.map((r) => (Number.isNaN(r.value) ? null : r.value)),
    budget: rows.map((r) => r.budget ?? null),
    trainer: rows.map((r) => r.trainer ?? null),
  });
}
