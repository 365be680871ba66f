// Results over seeds, as the papers print them: per (dataset, task, region, method, metric) the mean
// and standard error over the training runs (Hukkelås & Lindseth: "average and standard error over
// three independent training runs"), the difference Δ to the original dataset's mean ("36.4 ± 0.2
// (-0.3)"), the relative change in percent of the original mean, a bootstrap confidence interval of
// Δ, and tests of the method's runs against the original's (Zhou & Beyerer: Wilcoxon signed-rank and
// Mann-Whitney U; with few seeds only a t-test can reach p < 0.05: Mann-Whitney's smallest two-sided
// p for 3 runs against 3 is 0.1):
//   - Welch's t-test of the method's values against the original's (independent samples, unequal
//     variances), scipy.stats.ttest_ind(equal_var=False), two-sided;
//   - Mann-Whitney U of the method's values against the original's (independent samples),
//     scipy.stats.mannwhitneyu defaults (method 'auto', continuity correction, two-sided);
//   - Wilcoxon signed-rank of the differences method - original over the seeds both have (the runs
//     with one seed share the seed's initialisation and data order, so they are paired),
//     scipy.stats.wilcoxon defaults (zero_method 'wilcox', method 'auto', two-sided);
//   - the 95% percentile bootstrap interval of Δ, each side's runs resampled independently, 10,000
//     resamples (lib/stats/bootstrap.ts), seeded by the row's identity, so that it does not depend
//     on which other rows are aggregated with it; as scipy.stats.bootstrap it needs two or more runs
//     on each side.
// Empty (NaN) values are left out of every statistic and counted in `missing`, as pandas'
// groupby().mean() and .sem() skip NaN. Statistics follow numpy/scipy: mean; sd and se with ddof 1.
//
// The original runs of a (dataset, task) are the baseline of every region (their `region` is not
// looked at). Runs that record a `backbone_depth` metric are grouped by it, the baseline too.
// A (region, method) the caller expects but the results lack, or a metric a method lacks, is a row
// with status 'pending': nothing expected is dropped silently.
import * as aq from 'arquero';
import { BASELINE_METHOD, DEPTH_METRIC, isParameterMetric, type MetricRow } from '../experiments/metric-row.ts';
import { bootstrapMeanDifference, mannWhitneyU, mean, sem, std, welchTTest, wilcoxon, type Alternative, type BootstrapInterval } from '../stats/index.ts';

/** A grid cell the report must show. Without dataset/task it is expected in every (dataset, task). */
export interface ExpectedCell {
  dataset?: string;
  task?: string;
  region: string;
  method: string;
}

export interface AggregateOptions {
  /** Cells to show even when they have no rows (as 'pending'), in the order to show them. */
  expected?: readonly ExpectedCell[];
  /** The metrics (columns) and their order; default: every metric met, in order of first appearance. */
  metrics?: readonly string[];
  /** The baseline method; default 'original'. */
  baseline?: string;
  /** Alternative hypothesis of the tests; default 'two-sided'. */
  alternative?: Alternative;
  /** The bootstrap interval of Δ: resamples (default 10,000), level (default 0.95), seed (default 0). */
  bootstrap?: { resamples?: number; confidenceLevel?: number; seed?: number };
}

export interface TestResult {
  statistic: number;
  pvalue: number;
  /** The method scipy's rules chose ('exact', 'approx' or 'asymptotic'; 'welch' for Welch's t). */
  method: string;
  /** Values used: pairs (Wilcoxon), or the method's sample size (Mann-Whitney, Welch). */
  n: number;
  /** Welch–Satterthwaite degrees of freedom (Welch's t only). */
  df?: number;
}

export type AggregateStatus = 'baseline' | 'ok' | 'pending';

export interface AggregateRow {
  dataset: string;
  task: string;
  /** The backbone depth of the runs, or null when they do not record one. */
  depth: number | null;
  region: string;
  method: string;
  metric: string;
  status: AggregateStatus;
  /** Non-missing values. */
  n: number;
  /** NaN values left out. */
  missing: number;
  /** Seeds of the non-missing values, ascending. */
  seeds: number[];
  mean: number;
  sd: number;
  se: number;
  baselineMean: number;
  baselineSe: number;
  baselineN: number;
  /** mean - baselineMean. */
  delta: number;
  /** Standard error of the difference of two independent means: sqrt(se² + baselineSe²). */
  deltaSe: number;
  /** 100 · delta / baselineMean; NaN when the baseline is too small to divide by (relativeOmitted). */
  relativePct: number;
  /** True when the relative change is left out because the baseline mean is below MIN_RELATIVE_BASE
   * or within two standard errors of zero: dividing by it would print +300% for noise. */
  relativeOmitted: boolean;
  /** Percentile bootstrap confidence interval of delta at `level` (null unless both sides have two or more runs). */
  deltaCi: (BootstrapInterval & { level: number }) | null;
  welch: TestResult | null;
  mannWhitney: TestResult | null;
  wilcoxon: TestResult | null;
}

interface Cell {
  region: string;
  method: string;
}

interface Group {
  dataset: string;
  task: string;
  depth: number | null;
  /** region/method -> metric -> seed-ordered values */
  cells: Map<string, { cell: Cell; metrics: Map<string, { seed: number; value: number }[]> }>;
  metrics: string[];
}

const cellKey = (c: Cell) => JSON.stringify([c.region, c.method]);

function summarize(vals: { seed: number; value: number }[]) {
  const ok = vals.filter((v) => !Number.isNaN(v.value));
  const xs = ok.map((v) => v.value);
  return { n: ok.length, missing: vals.length - ok.length, seeds: ok.map((v) => v.seed).sort((a, b) => a - b), xs, ok, mean: mean(xs), sd: std(xs), se: sem(xs) };
}

type Summary = ReturnType<typeof summarize>;

/** The smallest baseline mean a relative change is computed against, in the metrics' unit (AP and
 * IoU in percent: one point). */
export const MIN_RELATIVE_BASE = 1;

/** Whether a baseline can be divided by: its mean at least MIN_RELATIVE_BASE and, with two or more
 * runs, at least two standard errors above zero. */
function relativeBaseOk(bs: Summary): boolean {
  if (!(bs.mean >= MIN_RELATIVE_BASE)) return false;
  return !(bs.n > 1 && bs.mean < 2 * bs.se);
}

/** Fills in Δ, its standard error and bootstrap interval, the relative change and the tests of a method's row against the baseline. */
function compareToBaseline(row: AggregateRow, s: Summary, bs: Summary, options: AggregateOptions): void {
  const alternative = options.alternative ?? 'two-sided';
  row.delta = s.mean - bs.mean;
  row.deltaSe = Math.sqrt(s.se ** 2 + bs.se ** 2);
  row.relativeOmitted = !relativeBaseOk(bs);
  row.relativePct = row.relativeOmitted ? NaN : (100 * row.delta) / bs.mean;
  if (s.n > 0 && bs.n > 0) {
    const t = welchTTest(s.xs, bs.xs, { alternative });
    row.welch = { statistic: t.statistic, pvalue: t.pvalue, method: 'welch', n: s.n, df: t.df };
    const mw = mannWhitneyU(s.xs, bs.xs, { alternative });
    row.mannWhitney = { statistic: mw.statistic, pvalue: mw.pvalue, method: mw.method ?? '', n: s.n };
  }
  if (s.n > 1 && bs.n > 1) {
    const key = JSON.stringify([options.bootstrap?.seed ?? 0, row.dataset, row.task, row.depth, row.region, row.method, row.metric]);
    row.deltaCi = { ...bootstrapMeanDifference(s.xs, bs.xs, { ...options.bootstrap, seed: key }), level: options.bootstrap?.confidenceLevel ?? 0.95 };
  }
  const bySeed = new Map(bs.ok.map((v) => [v.seed, v.value]));
  const pairs = s.ok.filter((v) => bySeed.has(v.seed)).sort((a, b) => a.seed - b.seed);
  const x = pairs.map((v) => v.value);
  const y = pairs.map((v) => bySeed.get(v.seed)!);
  // scipy raises when every difference is zero (zero_method 'wilcox'): no test then
  if (pairs.length > 0 && x.some((v, i) => v !== y[i])) {
    const w = wilcoxon(x, y, { alternative });
    row.wilcoxon = { statistic: w.statistic, pvalue: w.pvalue, method: w.method ?? '', n: pairs.length };
  }
}

/** Aggregates metric rows over seeds; see the file comment for the definitions. */
export function aggregate(rows: readonly MetricRow[], options: AggregateOptions = {}): AggregateRow[] {
  const baseline = options.baseline ?? BASELINE_METHOD;

  const depthOf = new Map<string, number>();
  for (const r of rows) if (r.metric === DEPTH_METRIC && !Number.isNaN(r.value)) depthOf.set(r.runId, r.value);

  const groups = new Map<string, Group>();
  for (const r of rows) {
    if (isParameterMetric(r.metric)) continue;
    const depth = depthOf.get(r.runId) ?? null;
    const gk = JSON.stringify([r.dataset, r.task, depth]);
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { dataset: r.dataset, task: r.task, depth, cells: new Map(), metrics: [] }));
    const cell: Cell = { region: r.method === baseline ? 'none' : r.region, method: r.method };
    const ck = cellKey(cell);
    let c = g.cells.get(ck);
    if (!c) g.cells.set(ck, (c = { cell, metrics: new Map() }));
    let vs = c.metrics.get(r.metric);
    if (!vs) {
      c.metrics.set(r.metric, (vs = []));
      if (!g.metrics.includes(r.metric)) g.metrics.push(r.metric);
    }
    vs.push({ seed: r.seed, value: r.value });
  }

  const out: AggregateRow[] = [];
  for (const g of groups.values()) {
    const metrics = options.metrics ? [...options.metrics] : g.metrics;
    // cells: the baseline, then the expected ones in their order, then the others as met
    const order: Cell[] = [];
    const seen = new Set<string>();
    const add = (c: Cell) => {
      const k = cellKey(c);
      if (!seen.has(k)) {
        seen.add(k);
        order.push(c);
      }
    };
    const baseCell = g.cells.get(cellKey({ region: 'none', method: baseline }));
    const expectsBaseline = (options.expected ?? []).some((e) => e.method === baseline && (e.dataset ?? g.dataset) === g.dataset && (e.task ?? g.task) === g.task);
    if (baseCell || expectsBaseline) add({ region: 'none', method: baseline });
    for (const e of options.expected ?? []) {
      if ((e.dataset ?? g.dataset) !== g.dataset || (e.task ?? g.task) !== g.task) continue;
      add(e.method === baseline ? { region: 'none', method: baseline } : { region: e.region, method: e.method });
    }
    for (const c of g.cells.values()) add(c.cell);

    for (const cell of order) {
      const data = g.cells.get(cellKey(cell));
      const isBase = cell.method === baseline;
      for (const metric of metrics) {
        const vals = data?.metrics.get(metric);
        const base = baseCell?.metrics.get(metric);
        const bs = base ? summarize(base) : null;
        const row: AggregateRow = {
          dataset: g.dataset,
          task: g.task,
          depth: g.depth,
          region: cell.region,
          method: cell.method,
          metric,
          status: 'pending',
          n: 0,
          missing: 0,
          seeds: [],
          mean: NaN,
          sd: NaN,
          se: NaN,
          baselineMean: bs ? bs.mean : NaN,
          baselineSe: bs ? bs.se : NaN,
          baselineN: bs ? bs.n : 0,
          delta: NaN,
          deltaSe: NaN,
          relativePct: NaN,
          relativeOmitted: false,
          deltaCi: null,
          welch: null,
          mannWhitney: null,
          wilcoxon: null,
        };
        if (vals) {
          const s = summarize(vals);
          Object.assign(row, { status: isBase ? 'baseline' : 'ok', n: s.n, missing: s.missing, seeds: s.seeds, mean: s.mean, sd: s.sd, se: s.se });
          if (!isBase && bs) compareToBaseline(row, s, bs, options);
        }
        out.push(row);
      }
    }
  }
  return out;
}

/**
 * The aggregate as a flat arquero table (tests as *_statistic / *_pvalue columns, Welch's df as
 * welch_df, the bootstrap interval of Δ as delta_ci_low / delta_ci_high, seeds as "0,1,2").
 */
export function aggregateTable(rows: readonly MetricRow[], options: AggregateOptions = {}): aq.ColumnTable {
  return toTable(aggregate(rows, options));
}

/** Flattens aggregate rows into an arquero table. */
export function toTable(agg: readonly AggregateRow[]): aq.ColumnTable {
  return aq.from(
    agg.map((r) => ({
      dataset: r.dataset,
      task: r.task,
      depth: r.depth,
      region: r.region,
      method: r.method,
      metric: r.metric,
      status: r.status,
      n: r.n,
      missing: r.missing,
      seeds: r.seeds.join(','),
      mean: r.mean,
      sd: r.sd,
      se: r.se,
      baseline_mean: r.baselineMean,
      delta: r.delta,
      delta_se: r.deltaSe,
      relative_pct: r.relativePct,
      delta_ci_low: r.deltaCi?.low ?? NaN,
      delta_ci_high: r.deltaCi?.high ?? NaN,
      welch_statistic: r.welch?.statistic ?? NaN,
      welch_pvalue: r.welch?.pvalue ?? NaN,
      welch_df: r.welch?.df ?? NaN,
      mannwhitney_statistic: r.mannWhitney?.statistic ?? NaN,
      mannwhitney_pvalue: r.mannWhitney?.pvalue ?? NaN,
      wilcoxon_statistic: r.wilcoxon?.statistic ?? NaN,
      wilcoxon_pvalue: r.wilcoxon?.pvalue ?? NaN,
    })),
  );
}

/**
 * Aggregate rows grouped by (dataset, task, depth), groups in order of first appearance and rows
 * in their order: one group per paper-style table or figure.
 */
export function groupByTable(agg: readonly AggregateRow[]): AggregateRow[][] {
  const groups = new Map<string, AggregateRow[]>();
  for (const r of agg) {
    const k = JSON.stringify([r.dataset, r.task, r.depth]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.values()];
}
