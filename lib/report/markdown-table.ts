// Plain records as a Markdown table (for notebooks: class counts, metric values, run summaries).
// Columns are the union of the records' keys in first-seen order, unless named; numbers that are
// not integers are rounded to `digits` decimals; missing values and NaN print as empty cells; '|'
// and line breaks inside a cell are escaped.
import { fixed } from './tables.ts';

export interface MarkdownTableOptions {
  /** Columns, in order (default: every key, in the order first seen). */
  columns?: readonly string[];
  /** Decimals of non-integer numbers (default 3). */
  digits?: number;
  /** Header labels by column key (default: the key). */
  headers?: Readonly<Record<string, string>>;
}

function cell(v: unknown, digits: number): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    return Number.isInteger(v) ? String(v) : fixed(v, digits);
  }
  const s = typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * A Markdown table of `rows`. A plain object (not an array) is read as key/value pairs: a table
 * of two columns, `key` and `value`.
 */
export function markdownTable(rows: readonly Readonly<Record<string, unknown>>[] | Readonly<Record<string, unknown>>, options: MarkdownTableOptions = {}): string {
  const records: Readonly<Record<string, unknown>>[] = Array.isArray(rows) ? [...rows] : Object.entries(rows).map(([key, value]) => ({ key, value }));
  const columns = options.columns ? [...options.columns] : [...new Set(records.flatMap((r) => Object.keys(r)))];
  if (columns.length === 0) throw new Error('markdown table: no columns (no records, and none named)');
  const digits = options.digits ?? 3;
  const header = columns.map((c) => cell(options.headers?.[c] ?? c, digits));
  const lines = [`| ${header.join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`];
  for (const r of records) lines.push(`| ${columns.map((c) => cell(r[c], digits)).join(' | ')} |`);
  return lines.join('\n') + '\n';
}
