// Plain records as a Markdown or HTML table (for notebooks: class counts, metric values, run
// summaries). Columns are the union of the records' keys in first-seen order, unless named;
// numbers that are not integers are rounded to `digits` decimals (in exponent notation when
// that would leave no significant digit); missing values and NaN print as
// empty cells; arrays as comma-separated lists, objects as JSON. Markdown escapes '|' and line
// breaks inside a cell; HTML escapes its special characters.
import { fixed, htmlEscape } from './tables.ts';

export interface MarkdownTableOptions {
  /** Columns, in order (default: every key, in the order first seen). */
  columns?: readonly string[];
  /** Decimals of non-integer numbers (default 3). */
  digits?: number;
  /** Header labels by column key (default: the key). */
  headers?: Readonly<Record<string, string>>;
  /** One object read as key/value pairs: only the keys matching this (default: all). */
  keys?: RegExp;
}

/** A value as cell text, unescaped. */
export function cellText(v: unknown, digits = 3): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (Number.isInteger(v)) return String(v);
    // too small for `digits` decimals (a learning rate, a weight decay): exponent notation
    if (Math.abs(v) < 0.5 * 10 ** -digits) return v.toExponential(Math.max(0, digits - 1));
    return fixed(v, digits);
  }
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const mdCell = (v: unknown, digits: number) => cellText(v, digits).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

/** Records (any objects: interfaces need no index signature), or one object read as key/value pairs. */
export type Records = readonly object[] | object;

function shape(rows: Records, options: MarkdownTableOptions): { records: Readonly<Record<string, unknown>>[]; columns: string[] } {
  const records = (Array.isArray(rows) ? [...(rows as readonly object[])] : Object.entries(rows).filter(([key]) => !options.keys || options.keys.test(key)).map(([key, value]) => ({ key, value }))) as Readonly<Record<string, unknown>>[];
  const columns = options.columns ? [...options.columns] : [...new Set(records.flatMap((r) => Object.keys(r)))];
  if (columns.length === 0) throw new Error('records table: no columns (no records, and none named)');
  return { records, columns };
}

/**
 * A Markdown table of `rows`. A plain object (not an array) is read as key/value pairs: a table
 * of two columns, `key` and `value`.
 */
export function markdownTable(rows: Records, options: MarkdownTableOptions = {}): string {
  const { records, columns } = shape(rows, options);
  const digits = options.digits ?? 3;
  const header = columns.map((c) => mdCell(options.headers?.[c] ?? c, digits));
  const lines = [`| ${header.join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`];
  for (const r of records) lines.push(`| ${columns.map((c) => mdCell(r[c], digits)).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

/** The same table as HTML (<table class="anon-impact-records">), numbers right-aligned. */
export function htmlTable(rows: Records, options: MarkdownTableOptions = {}): string {
  const { records, columns } = shape(rows, options);
  const digits = options.digits ?? 3;
  const head = columns.map((c) => `<th>${htmlEscape(cellText(options.headers?.[c] ?? c, digits))}</th>`).join('');
  const body = records.map((r) => `<tr>${columns.map((c) => `<td${typeof r[c] === 'number' ? ' style="text-align:right"' : ''}>${htmlEscape(cellText(r[c], digits))}</td>`).join('')}</tr>`);
  return `<table class="anon-impact-records">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}${body.length ? '\n' : ''}</tbody>\n</table>\n`;
}
