// Aggregated results as the papers lay them out (Hukkelås & Lindseth, Tables 1-3): one table per
// (dataset, task, backbone depth), rows = region / method with the original first, columns = metrics,
// cells "mean ± se (Δ)": "36.4 ± 0.2 (-0.3)", the original "36.7 ± 0.1 (Δ)", a cell without runs
// "pending". Numbers are rounded with toFixed; a rounded zero difference prints as 0.0, not -0.0,
// and a positive one without a sign, as the paper prints them. A cell of one run has no standard
// error and prints "36.4 (-0.3)".
import { groupByTable, type AggregateRow } from './aggregate.ts';
import { metricLabel, methodLabel, needsFamily, regionLabel, type Labels } from './labels.ts';

export interface TableOptions {
  /** Decimals (default 1, as the paper prints AP in percent). */
  digits?: number;
  labels?: Labels;
  /** Mark cells whose test p-value is below alpha with '*'. */
  mark?: { test: 'mannWhitney' | 'wilcoxon'; alpha: number };
  /** A heading per table (default true). */
  headings?: boolean;
}

/** One rendered table: its heading, the column labels and the rows of cells. */
export interface TableLayout {
  heading: string;
  columns: string[];
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
    const t = mark.test === 'wilcoxon' ? r.wilcoxon : r.mannWhitney;
    if (t && t.pvalue < mark.alpha) s += '*';
  }
  return s;
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
    const rows = ordered.map((c, i) => {
      const rs = metrics.map((m) => c.byMetric.get(m));
      const showRegion = i === 0 || ordered[i - 1]!.region !== c.region;
      return {
        region: showRegion ? regionLabel(c.region, options.labels) : '',
        span: showRegion ? ordered.filter((o) => o.region === c.region).length : 0,
        method: methodLabel(c.method, options.labels),
        cells: rs.map((r) => (r ? formatCell(r, options) : 'pending')),
        pending: rs.map((r) => !r || r.status === 'pending'),
      };
    });
    const heading = `${first.dataset} / ${first.task}${first.depth === null ? '' : ` / ResNet-${first.depth}`}`;
    out.push({ heading, columns: metrics.map((m) => metricLabel(m, fam, options.labels)), rows });
  }
  return out;
}

const mdEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The tables as GitHub-flavoured Markdown. */
export function renderMarkdown(agg: readonly AggregateRow[], options: TableOptions = {}): string {
  const parts: string[] = [];
  for (const t of layoutTables(agg, options)) {
    const lines: string[] = [];
    if (options.headings ?? true) lines.push(`### ${mdEscape(t.heading)}`, '');
    const header = ['Region', 'Method', ...t.columns];
    lines.push(`| ${header.map(mdEscape).join(' | ')} |`);
    lines.push(`|${header.map(() => ' --- ').join('|')}|`);
    for (const r of t.rows) lines.push(`| ${[r.region, r.method, ...r.cells].map(mdEscape).join(' | ')} |`);
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n') + '\n';
}

const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
    lines.push('</tbody>', '</table>');
    parts.push(lines.join('\n'));
  }
  return parts.join('\n') + '\n';
}
