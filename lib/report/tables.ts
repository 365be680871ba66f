// Aggregated results as the papers lay them out (Hukkelås & Lindseth, Tables 1-3): one table per
// (dataset, task, backbone depth), rows = region / method with the original first, columns = metrics,
// cells "mean ± se (Δ)": "36.4 ± 0.2 (-0.3)", the original "36.7 ± 0.1 (Δ)", a cell without runs
// "pending". Numbers are rounded with toFixed; a rounded zero difference prints as 0.0, not -0.0,
// and a positive one without a sign, as the paper prints them. A cell of one run has no standard
// error and prints "36.4 (-0.3)".
// With a significance mark, a cell whose test against the original has p < alpha ends in '*'
// ("36.4 ± 0.2 (-0.3)*"), a footnote names the test and the threshold, and on request a "p" column
// after each metric gives the p-values ("<0.001" below 0.001; "n/a" where the test is undefined, e.g.
// Welch's t with one run). Privacy figures (privacy/...) are the anonymized copy's, the same for
// every seed: their cells give the value alone (pixel independence as yes/no), with no p column,
// and '—' for the original, which no copy made.
import type { Alternative } from '../stats/index.ts';
import { groupByTable, type AggregateRow, type TestResult } from './aggregate.ts';
import { metricFamily } from '../experiments/metric-row.ts';
import { PIXEL_INDEPENDENT } from '../experiments/privacy-metrics.ts';
import { metricLabel, methodLabel, needsFamily, regionLabel, type Labels } from './labels.ts';

/** The tests an aggregate row carries, by their field name. */
export type MarkTest = 'welch' | 'mannWhitney' | 'wilcoxon';

export interface SignificanceMark {
  test: MarkTest;
  /** Cells with p < alpha get '*'. */
  alpha: number;
  /** A "p" column after each metric column (default false). */
  pvalues?: boolean;
  /** The alternative the aggregate's tests used, for the footnote (default 'two-sided'). */
  alternative?: Alternative;
}

const TEST_PHRASES: Record<MarkTest, string> = {
  welch: "Welch's t-test of the method's runs against the original's",
  mannWhitney: "Mann-Whitney U test of the method's runs against the original's",
  wilcoxon: "Wilcoxon signed-rank test of the method's runs against the original's, paired by seed",
};

/** The spec's test names (lib/experiments/spec.ts `tests`) as the fields of an aggregate row. */
const SPEC_TESTS: Record<string, MarkTest> = { welch: 'welch', mannwhitney: 'mannWhitney', wilcoxon: 'wilcoxon' };

/**
 * The mark for a grid's list of tests: Welch's t-test when the list has it (with few seeds the rank
 * tests cannot reach p < 0.05), else the first listed; p-values shown. No tests, no mark.
 */
export function significanceMark(tests: readonly string[], alpha = 0.05): SignificanceMark | undefined {
  if (tests.length === 0) return undefined;
  const name = tests.includes('welch') ? 'welch' : tests[0]!;
  const test = SPEC_TESTS[name];
  if (!test) throw new RangeError(`unknown test '${name}' (welch, mannwhitney or wilcoxon)`);
  return { test, alpha, pvalues: true };
}

/** The row's result of the marked test, or null. */
export function markedTest(r: AggregateRow, test: MarkTest): TestResult | null {
  return r[test];
}

/** The footnote that explains the mark: "* p < 0.05, Welch's t-test of ... (two-sided); p: its p-value.". */
export function markFootnote(mark: SignificanceMark): string {
  return `* p < ${mark.alpha}, ${TEST_PHRASES[mark.test]} (${mark.alternative ?? 'two-sided'})${mark.pvalues ? '; p: its p-value' : ''}.`;
}

/** A p-value as the tables print it. */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export interface TableOptions {
  /** Decimals (default 1, as the paper prints AP in percent). */
  digits?: number;
  labels?: Labels;
  /** Mark cells whose test p-value is below alpha with '*' (and add a footnote, optionally p columns). */
  mark?: SignificanceMark;
  /** A heading per table (default true). */
  headings?: boolean;
}

/** One rendered table: its heading, the column labels and the rows of cells. */
export interface TableLayout {
  heading: string;
  columns: string[];
  /** The line under the table that explains the mark, if any. */
  footnote?: string;
  /** `region` is the label on the first row of a region's run of rows and '' on the others; `span` the run's length there, 0 on the others. */
  rows: { region: string; span: number; method: string; cells: string[]; pending: boolean[] }[];
}

/** A number rounded to `digits`, with -0 printed as 0. */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** The text of one cell. */
export function formatCell(r: AggregateRow, options: TableOptions = {}): string {
  const d = options.digits ?? 1;
  if (r.status === 'pending') return 'pending';
  if (r.n === 0) return 'NaN';
  let s = fixed(r.mean, d);
  if (!Number.isNaN(r.se)) s += ` ± ${fixed(r.se, d)}`;
  if (r.status === 'baseline') s += ' (Δ)';
  else if (!Number.isNaN(r.delta)) s += ` (${fixed(r.delta, d)})`;
  const mark = options.mark;
  if (mark) {
    const t = markedTest(r, mark.test);
    if (t && t.pvalue < mark.alpha) s += '*';
  }
  return s;
}

/** A privacy figure's cell (lib/experiments/privacy-metrics.ts): the anonymized copy's value,
 * the same for every seed, so without ± and Δ; pixel independence as yes or no. */
export function formatPrivacyCell(r: AggregateRow, options: TableOptions = {}): string {
  if (r.status === 'pending') return 'pending';
  if (r.n === 0 || Number.isNaN(r.mean)) return 'n/a';
  if (r.metric === PIXEL_INDEPENDENT) return r.mean === 1 ? 'yes' : 'no';
  return fixed(r.mean, options.digits ?? 1);
}

/** The p column's text for one cell: the marked test's p-value, '' where there is none. */
function pCell(r: AggregateRow | undefined, test: MarkTest): string {
  if (!r || r.status !== 'ok') return '';
  const t = markedTest(r, test);
  return t ? formatP(t.pvalue) : '';
}

/** Splits aggregate rows into paper-style tables. */
export function layoutTables(agg: readonly AggregateRow[], options: TableOptions = {}): TableLayout[] {
  const groups = groupByTable(agg);
  const out: TableLayout[] = [];
  for (const g of groups) {
    const first = g[0]!;
    const metrics = [...new Set(g.map((r) => r.metric))];
    const fam = needsFamily(metrics);
    const cells = new Map<string, { region: string; method: string; byMetric: Map<string, AggregateRow> }>();
    for (const r of g) {
      const k = JSON.stringify([r.region, r.method]);
      let c = cells.get(k);
      if (!c) cells.set(k, (c = { region: r.region, method: r.method, byMetric: new Map() }));
      c.byMetric.set(r.metric, r);
    }
    // rows keep the aggregate's order; rows of one region are brought together after its first row
    const regions: string[] = [];
    for (const c of cells.values()) if (!regions.includes(c.region)) regions.push(c.region);
    const ordered = regions.flatMap((reg) => [...cells.values()].filter((c) => c.region === reg));
    const pTest = options.mark?.pvalues ? options.mark.test : null;
    // privacy figures are the copy's: no p column; the original, which no copy made, gets '—'
    const privacy = (m: string) => metricFamily(m) === 'privacy';
    const withP = (m: string) => pTest !== null && !privacy(m);
    const rows = ordered.map((c, i) => {
      const showRegion = i === 0 || ordered[i - 1]!.region !== c.region;
      const original = c.region === 'none';
      const cells: string[] = [];
      const pending: boolean[] = [];
      for (const m of metrics) {
        const r = c.byMetric.get(m);
        const missing = !r || r.status === 'pending';
        if (privacy(m)) {
          cells.push(original && missing ? '—' : r ? formatPrivacyCell(r, options) : 'pending');
          pending.push(missing && !original);
          continue;
        }
        cells.push(r ? formatCell(r, options) : 'pending');
        pending.push(missing);
        if (withP(m)) {
          cells.push(pCell(r, pTest!));
          pending.push(missing);
        }
      }
      return {
        region: showRegion ? regionLabel(c.region, options.labels) : '',
        span: showRegion ? ordered.filter((o) => o.region === c.region).length : 0,
        method: methodLabel(c.method, options.labels),
        cells,
        pending,
      };
    });
    const heading = `${first.dataset} / ${first.task}${first.depth === null ? '' : ` / ResNet-${first.depth}`}`;
    const columns = metrics.flatMap((m) => [metricLabel(m, fam, options.labels), ...(withP(m) ? ['p'] : [])]);
    out.push({ heading, columns, rows, ...(options.mark ? { footnote: markFootnote(options.mark) } : {}) });
  }
  return out;
}

const mdEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The tables as GitHub-flavoured Markdown; the mark's footnote once, after the last table. */
export function renderMarkdown(agg: readonly AggregateRow[], options: TableOptions = {}): string {
  const parts: string[] = [];
  let footnote: string | undefined;
  for (const t of layoutTables(agg, options)) {
    const lines: string[] = [];
    if (options.headings ?? true) lines.push(`### ${mdEscape(t.heading)}`, '');
    const header = ['Region', 'Method', ...t.columns];
    lines.push(`| ${header.map(mdEscape).join(' | ')} |`);
    lines.push(`|${header.map(() => ' --- ').join('|')}|`);
    for (const r of t.rows) lines.push(`| ${[r.region, r.method, ...r.cells].map(mdEscape).join(' | ')} |`);
    parts.push(lines.join('\n'));
    footnote = t.footnote;
  }
  // a line starting with '* ' would be a list item
  if (footnote) parts.push(mdEscape(footnote).replace(/^\*/, '\\*'));
  return parts.join('\n\n') + '\n';
}

/** Text as HTML element content or attribute value. */
export const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The tables as HTML: a <table> each, the region cell spanning its rows, pending cells of class "pending". */
export function renderHtml(agg: readonly AggregateRow[], options: TableOptions = {}): string {
  const parts: string[] = [];
  for (const t of layoutTables(agg, options)) {
    const lines: string[] = ['<table class="anon-impact-results">'];
    if (options.headings ?? true) lines.push(`<caption>${htmlEscape(t.heading)}</caption>`);
    lines.push(`<thead><tr>${['Region', 'Method', ...t.columns].map((c) => `<th>${htmlEscape(c)}</th>`).join('')}</tr></thead>`, '<tbody>');
    t.rows.forEach((r) => {
      const region = r.span > 0 ? `<th scope="rowgroup"${r.span > 1 ? ` rowspan="${r.span}"` : ''}>${htmlEscape(r.region)}</th>` : '';
      const cells = r.cells.map((c, j) => `<td${r.pending[j] ? ' class="pending"' : ''}>${htmlEscape(c)}</td>`).join('');
      lines.push(`<tr>${region}<td>${htmlEscape(r.method)}</td>${cells}</tr>`);
    });
    lines.push('</tbody>');
    if (t.footnote) lines.push(`<tfoot><tr><td colspan="${t.columns.length + 2}">${htmlEscape(t.footnote)}</td></tr></tfoot>`);
    lines.push('</table>');
    parts.push(lines.join('\n'));
  }
  return parts.join('\n') + '\n';
}
