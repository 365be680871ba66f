// The papers' published numbers (results/reference/*.csv, schema in results/reference/README.md).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { DataError } from '../data/types.ts';
import { parseCsv } from '../experiments/csv.ts';

export const REFERENCE_COLUMNS = [
  'source', 'table', 'dataset', 'task', 'model', 'region', 'method', 'method_label', 'metric', 'metric_label', 'unit', 'n_runs', 'mean', 'se', 'sd', 'delta', 'relative_pct', 'note',
] as const;

export type ReferenceUnit = 'percent' | 'fraction' | 'count' | '';

export interface ReferenceRow {
  source: string;
  table: string;
  dataset: string;
  task: string;
  model: string;
  region: string;
  method: string;
  methodLabel: string;
  metric: string;
  metricLabel: string;
  unit: ReferenceUnit;
  /** NaN where not given. */
  nRuns: number;
  /** The printed numbers; NaN where the cell is empty. */
  mean: number;
  se: number;
  sd: number;
  delta: number;
  relativePct: number;
  note: string;
}

const UNITS: readonly ReferenceUnit[] = ['percent', 'fraction', 'count', ''];
const REQUIRED = ['source', 'table', 'dataset', 'task', 'region', 'method', 'metric'] as const;

/** Parses one reference CSV text. */
export function parseReferenceCsv(text: string, file: string): ReferenceRow[] {
  const recs = parseCsv(text, file);
  if (recs.length === 0) throw new DataError(file, 'line 1', 'header', 'empty file');
  const header = recs[0]!.fields.join(',');
  if (header !== REFERENCE_COLUMNS.join(',')) throw new DataError(file, 'line 1', 'header', `expected '${REFERENCE_COLUMNS.join(',')}', got '${header}'`);
  return recs.slice(1).map((rec) => {
    const where = `line ${rec.line}`;
    if (rec.fields.length !== REFERENCE_COLUMNS.length) throw new DataError(file, where, 'record', `expected ${REFERENCE_COLUMNS.length} fields, got ${rec.fields.length}`);
    const o = Object.fromEntries(REFERENCE_COLUMNS.map((c, i) => [c, rec.fields[i]!])) as Record<(typeof REFERENCE_COLUMNS)[number], string>;
    for (const c of REQUIRED) if (o[c] === '') throw new DataError(file, where, c, 'must not be empty');
    const num = (c: 'n_runs' | 'mean' | 'se' | 'sd' | 'delta' | 'relative_pct'): number => {
      const s = o[c];
      if (s === '') return NaN;
      const v = Number(s);
      if (!Number.isFinite(v)) throw new DataError(file, where, c, `expected a number or an empty cell, got '${s}'`);
      return v;
    };
    if (!UNITS.includes(o.unit as ReferenceUnit)) throw new DataError(file, where, 'unit', `expected one of ${UNITS.map((u) => `'${u}'`).join(', ')}, got '${o.unit}'`);
    const row: ReferenceRow = {
      source: o.source,
      table: o.table,
      dataset: o.dataset,
      task: o.task,
      model: o.model,
      region: o.region,
      method: o.method,
      methodLabel: o.method_label,
      metric: o.metric,
      metricLabel: o.metric_label,
      unit: o.unit as ReferenceUnit,
      nRuns: num('n_runs'),
      mean: num('mean'),
      se: num('se'),
      sd: num('sd'),
      delta: num('delta'),
      relativePct: num('relative_pct'),
      note: o.note,
    };
    if (Number.isNaN(row.mean) && Number.isNaN(row.relativePct)) throw new DataError(file, where, 'mean', 'a row needs a mean or a relative_pct');
    return row;
  });
}

/** Reads one reference CSV file, or every *.csv of a folder (in name order). */
export async function readReference(path: string): Promise<ReferenceRow[]> {
  const st = await stat(path);
  const files = st.isDirectory() ? (await readdir(path)).filter((f) => f.endsWith('.csv')).sort().map((f) => join(path, f)) : [path];
  const out: ReferenceRow[] = [];
  for (const f of files) out.push(...parseReferenceCsv(await readFile(f, 'utf8'), f));
  const seen = new Map<string, string>();
  for (const r of out) {
    const k = JSON.stringify([r.table, r.dataset, r.task, r.region, r.method, r.metric]);
    const prev = seen.get(k);
    if (prev) throw new DataError(r.source, `${r.table} ${r.region}/${r.method}`, 'metric', `${r.metric} appears twice (also in ${prev})`);
    seen.set(k, r.source);
  }
  return out;
}

/** The ids of the tables in `rows`, in order of first appearance. */
export function referenceTables(rows: readonly ReferenceRow[]): string[] {
  return [...new Set(rows.map((r) => r.table))];
}
