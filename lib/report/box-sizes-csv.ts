// Reads the person box-size CDF that `anon-impact data stats` writes:
//   dataset,split,category,relative_length,area_fraction,cdf
import { readFile } from 'node:fs/promises';
import { DataError } from '../data/types.ts';
import { parseCsv } from '../experiments/csv.ts';

export const BOX_SIZES_HEADER = 'dataset,split,category,relative_length,area_fraction,cdf';

export interface BoxSizePoint {
  dataset: string;
  split: string;
  category: string;
  relativeLength: number;
  areaFraction: number;
  cdf: number;
}

export function parseBoxSizesCsv(text: string, file: string): BoxSizePoint[] {
  const recs = parseCsv(text, file);
  const header = recs[0]?.fields.join(',');
  if (header !== BOX_SIZES_HEADER) throw new DataError(file, 'line 1', 'header', `expected '${BOX_SIZES_HEADER}', got '${header ?? ''}'`);
  return recs.slice(1).map((rec) => {
    const where = `line ${rec.line}`;
    if (rec.fields.length !== 6) throw new DataError(file, where, 'record', `expected 6 fields, got ${rec.fields.length}`);
    const [dataset, split, category, rl, af, cdf] = rec.fields as [string, string, string, string, string, string];
    const n = (s: string, field: string, max: number) => {
      const v = Number(s);
      if (s === '' || !Number.isFinite(v) || v < 0 || v > max) throw new DataError(file, where, field, `expected a number in [0, ${max}], got '${s}'`);
      return v;
    };
    return { dataset, split, category, relativeLength: n(rl, 'relative_length', Infinity), areaFraction: n(af, 'area_fraction', Infinity), cdf: n(cdf, 'cdf', 1) };
  });
}

export async function readBoxSizesCsv(file: string): Promise<BoxSizePoint[]> {
  return parseBoxSizesCsv(await readFile(file, 'utf8'), file);
}
