// "Paper vs ours": one published table (results/reference) beside our aggregated results, joined by
// (table, region, method, metric). Our results carry no table id: the caller names the reference
// table, and our rows are those of one (dataset, task, depth) group (the table's own dataset and
// task when the results have them, else the only group, else the one the caller names).
// The original is matched by method alone (its region is 'none' on both sides). Matched rows carry
// the paper's region and method; `aliases` name our cells that stand for differently named ones.
import { BASELINE_METHOD } from '../experiments/metric-row.ts';
import { groupByTable, MIN_RELATIVE_BASE, type AggregateRow, type AggregateStatus } from './aggregate.ts';
import { metricLabel, methodLabel, needsFamily, regionLabel, type Labels } from './labels.ts';
import type { ReferenceRow } from './reference.ts';
import { fixed, htmlEscape } from './tables.ts';

export interface CompareOptions {
  table: string;
  /** Our group; default as described above. */
  dataset?: string;
  task?: string;
  depth?: number | null;
  /** Unit of our AP-like values (default 'percent'); the paper's fractions or percents are converted to it. */
  oursUnit?: 'percent' | 'fraction';
  baseline?: string;
  /**
   * Our cells that stand for differently named rows of the paper, e.g. our face/realistic for the
   * DNAT whitepaper's face+plate/dnat: { region: 'face', method: 'realistic', paper: { region: 'face+plate', method: 'dnat' } }.
   */
  aliases?: readonly CellAlias[];
}

export interface CellAlias {
  region: string;
  method: string;
  paper: { region: string; method: string };
}

export interface CompareRow {
  table: string;
  region: string;
  method: string;
  metric: string;
  /** The paper's numbers in our unit (relativePct computed from them where not printed); null when the paper has no such row. */
  paper: { mean: number; se: number; sd: number; delta: number; relativePct: number; label: string } | null;
  /** Ours; status 'pending' when we have no runs for it. */
  ours: { mean: number; se: number; n: number; delta: number; relativePct: number; relativeOmitted?: boolean; status: AggregateStatus } | null;
}

function scaleFor(unit: string, ours: 'percent' | 'fraction'): number {
  if (unit === 'percent' && ours === 'fraction') return 0.01;
  if (unit === 'fraction' && ours === 'percent') return 100;
  return 1;
}

/**
 * The paper's relative change in percent: as printed, else computed from its printed numbers,
 * 100 · delta / original mean (delta, or mean - original mean where no delta is printed).
 */
function paperRelative(p: ReferenceRow, baseMean: number | undefined): number {
  if (!Number.isNaN(p.relativePct)) return p.relativePct;
  if (baseMean === undefined || Number.isNaN(baseMean) || baseMean === 0) return NaN;
  const delta = Number.isNaN(p.delta) ? p.mean - baseMean : p.delta;
  return (100 * delta) / baseMean;
}

/** Joins one reference table with our aggregated results. */
export function compareWithReference(agg: readonly AggregateRow[], reference: readonly ReferenceRow[], options: CompareOptions): CompareRow[] {
  const baseline = options.baseline ?? BASELINE_METHOD;
  const ref = reference.filter((r) => r.table === options.table);
  if (ref.length === 0) throw new Error(`no reference table '${options.table}' (known: ${[...new Set(reference.map((r) => r.table))].join(', ')})`);
  const groups = groupByTable(agg).map((rows) => ({ dataset: rows[0]!.dataset, task: rows[0]!.task, depth: rows[0]!.depth, rows }));
  let pick = groups.filter(
    (g) => (options.dataset ?? g.dataset) === g.dataset && (options.task ?? g.task) === g.task && (options.depth === undefined || options.depth === g.depth),
  );
  if (pick.length > 1 && options.dataset === undefined && options.task === undefined) {
    const own = pick.filter((g) => g.dataset === ref[0]!.dataset && g.task === ref[0]!.task);
    if (own.length > 0) pick = own;
  }
  if (pick.length > 1) {
    throw new Error(`our results hold ${pick.length} (dataset, task, depth) groups (${pick.map((g) => `${g.dataset}/${g.task}${g.depth === null ? '' : `/${g.depth}`}`).join(', ')}); name one`);
  }
  const g = pick[0];
  const ours = g ? g.rows : [];
  const key = (region: string, method: string, metric: string) => JSON.stringify([method === baseline ? 'none' : region, method, metric]);
  // our rows under the paper's names of their cells
  const alias = new Map((options.aliases ?? []).map((a) => [JSON.stringify([a.region, a.method]), a.paper]));
  const paperCell = (region: string, method: string) => alias.get(JSON.stringify([region, method])) ?? { region, method };
  const oursBy = new Map(
    ours.map((r) => {
      const c = paperCell(r.region, r.method);
      return [key(c.region, c.method, r.metric), r];
    }),
  );
  const refMetrics = new Set(ref.map((r) => r.metric));
  const unit = options.oursUnit ?? 'percent';

  const refBase = new Map(ref.filter((r) => r.method === baseline).map((r) => [r.metric, r.mean]));
  const out: CompareRow[] = [];
  const done = new Set<string>();
  for (const p of ref) {
    const k = key(p.region, p.method, p.metric);
    done.add(k);
    const s = scaleFor(p.unit, unit);
    const o = oursBy.get(k);
    out.push({
      table: options.table,
      region: p.method === baseline ? 'none' : p.region,
      method: p.method,
      metric: p.metric,
      paper: { mean: p.mean * s, se: p.se * s, sd: p.sd * s, delta: p.delta * s, relativePct: p.method === baseline ? p.relativePct : paperRelative(p, refBase.get(p.metric)), label: p.methodLabel },
      ours: o ? { mean: o.mean, se: o.se, n: o.n, delta: o.delta, relativePct: o.relativePct, relativeOmitted: o.relativeOmitted, status: o.status } : { mean: NaN, se: NaN, n: 0, delta: NaN, relativePct: NaN, status: 'pending' },
    });
  }
  // our rows of the table's metrics that the paper does not have (other methods, other regions)
  for (const o of ours) {
    const c = paperCell(o.region, o.method);
    const k = key(c.region, c.method, o.metric);
    if (done.has(k) || !refMetrics.has(o.metric)) continue;
    out.push({
      table: options.table,
      region: o.region,
      method: o.method,
      metric: o.metric,
      paper: null,
      ours: { mean: o.mean, se: o.se, n: o.n, delta: o.delta, relativePct: o.relativePct, relativeOmitted: o.relativeOmitted, status: o.status },
    });
  }
  return out;
}

function numbers(mean: number, spread: number, delta: number, isBase: boolean, digits: number): string {
  if (Number.isNaN(mean)) return '';
  let s = fixed(mean, digits);
  if (!Number.isNaN(spread)) s += ` ± ${fixed(spread, digits)}`;
  if (isBase) s += ' (Δ)';
  else if (!Number.isNaN(delta)) s += ` (${fixed(delta, digits)})`;
  return s;
}

const pct = (v: number, digits: number) => (Number.isNaN(v) ? '' : `${fixed(v, digits)}%`);

const COMPARE_COLUMNS = ['Region', 'Method', 'Metric', 'Paper', 'Ours', 'Paper rel.', 'Ours rel.'];

interface CompareRenderOptions {
  digits?: number;
  labels?: Labels;
  baseline?: string;
}

/** The comparison's cells (COMPARE_COLUMNS) and the footnote it needs, shared by the Markdown and HTML forms. */
function compareCells(rows: readonly CompareRow[], options: CompareRenderOptions): { cells: string[][]; footnote: string } {
  const d = options.digits ?? 1;
  const baseline = options.baseline ?? BASELINE_METHOD;
  const fam = needsFamily(rows.map((r) => r.metric));
  const cells = rows.map((r) => {
    const isBase = r.method === baseline;
    const p = r.paper;
    const paper = p ? numbers(p.mean, Number.isNaN(p.se) ? p.sd : p.se, p.delta, isBase && !Number.isNaN(p.mean), d) || '—' : '—';
    const o = r.ours;
    const ours = !o || o.status === 'pending' ? 'pending' : o.n === 0 ? 'NaN' : numbers(o.mean, o.se, o.delta, isBase, d);
    const oursRel = o?.relativeOmitted ? 'n/a †' : o ? pct(o.relativePct, 2) : '';
    return [regionLabel(r.region, options.labels), methodLabel(r.method, options.labels), metricLabel(r.metric, fam, options.labels), paper, ours, p ? pct(p.relativePct, 2) : '', oursRel];
  });
  const footnote = rows.some((r) => r.ours?.relativeOmitted) ? `† Relative change left out: the original's mean is below ${MIN_RELATIVE_BASE} point or within two standard errors of zero, too small to divide by.` : '';
  return { cells, footnote };
}

/** The comparison as Markdown: Region | Method | Metric | Paper | Ours | Paper rel. | Ours rel. */
export function renderCompareMarkdown(rows: readonly CompareRow[], options: CompareRenderOptions = {}): string {
  const { cells, footnote } = compareCells(rows, options);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`| ${COMPARE_COLUMNS.join(' | ')} |`, `| ${COMPARE_COLUMNS.map(() => '---').join(' | ')} |`, ...cells.map((c) => `| ${c.map(esc).join(' | ')} |`)];
  if (footnote) lines.push('', footnote);
  return lines.join('\n') + '\n';
}

/** The comparison as an HTML table (the same cells; the footnote in its tfoot). */
export function renderCompareHtml(rows: readonly CompareRow[], options: CompareRenderOptions = {}): string {
  const { cells, footnote } = compareCells(rows, options);
  const lines = ['<table class="anon-impact-results anon-impact-compare">', `<thead><tr>${COMPARE_COLUMNS.map((c) => `<th>${htmlEscape(c)}</th>`).join('')}</tr></thead>`, '<tbody>'];
  for (const c of cells) lines.push(`<tr>${c.map((v) => `<td${v === 'pending' ? ' class="pending"' : ''}>${htmlEscape(v)}</td>`).join('')}</tr>`);
  lines.push('</tbody>');
  if (footnote) lines.push(`<tfoot><tr><td colspan="${COMPARE_COLUMNS.length}">${htmlEscape(footnote)}</td></tr></tfoot>`);
  lines.push('</table>');
  return lines.join('\n') + '\n';
}
