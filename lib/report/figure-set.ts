// Which figures apply to a set of results, each with a file-safe name:
//   difference-<dataset>-<task>[-r<depth>]-<metric>  per (dataset, task, depth) and chosen metric
//   relative-iou-<dataset>-<task>[-r<depth>]          when per-class IoU metrics (sem_seg/IoU-<class>) exist
//   depth-<metric>                                    when runs record backbone_depth
//   box-size-cdf                                      when box-size CDF points are given
//   utility-privacy-<dataset>-<task>-<privacy metric> per chosen privacy/... metric: Δ of the first
//                                                     chosen task metric about persons (else the first) against it
// The chosen metrics default to the summary metrics (AP, AP50, mIoU, ...: not per class).
import { metricClass } from '../experiments/metric-row.ts';
import { isLeakFigure } from '../experiments/privacy-metrics.ts';
import { groupByTable, type AggregateRow } from './aggregate.ts';
import type { BoxSizePoint } from './box-sizes-csv.ts';
import { boxSizeCdfFigure, depthFigure, differenceFigure, relativeIouHeatmap, utilityPrivacyFigure, type FigureSpec } from './figures.ts';
import type { Labels } from './labels.ts';
import type { ReferenceRow } from './reference.ts';

export interface NamedFigure {
  name: string;
  spec: FigureSpec;
}

export interface FigureSetOptions {
  /** Metrics to draw difference and depth figures for (default: the summary metrics). */
  metrics?: readonly string[];
  /** Published numbers to overlay on the difference figures. */
  reference?: readonly ReferenceRow[];
  /** The reference table to overlay (default: per group, the table of the same dataset and task matching most of our cells). */
  table?: string;
  /** Unit of our AP-like values (default 'percent'). */
  unit?: 'percent' | 'fraction';
  boxSizes?: readonly BoxSizePoint[];
  labels?: Labels;
}

const PRIVACY = 'privacy/';

/** A file-name-safe version of a name part. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

function scale(unit: string, ours: 'percent' | 'fraction'): number {
  if (unit === 'percent' && ours === 'fraction') return 0.01;
  if (unit === 'fraction' && ours === 'percent') return 100;
  return 1;
}

/** The reference rows to overlay on one group, in our unit; [] when none apply. */
function referenceFor(group: AggregateRow[], options: FigureSetOptions): { rows: ReferenceRow[]; table: string } {
  const ref = options.reference ?? [];
  if (ref.length === 0 || group.length === 0) return { rows: [], table: '' };
  const g = group[0]!;
  const candidates = options.table ? [options.table] : [...new Set(ref.filter((r) => r.dataset === g.dataset && r.task === g.task).map((r) => r.table))];
  const ours = new Set(group.filter((r) => r.status === 'ok').map((r) => JSON.stringify([r.region, r.method, r.metric])));
  let best = { table: '', hits: -1 };
  for (const t of candidates) {
    const hits = ref.filter((r) => r.table === t && ours.has(JSON.stringify([r.region, r.method, r.metric]))).length;
    if (hits > best.hits) best = { table: t, hits };
  }
  const unit = options.unit ?? 'percent';
  const rows = ref
    .filter((r) => r.table === best.table)
    .map((r) => {
      const s = scale(r.unit, unit);
      return { ...r, mean: r.mean * s, se: r.se * s, sd: r.sd * s, delta: r.delta * s };
    });
  return { rows, table: best.table };
}

/** The figures that apply to `agg` (and to the box sizes, when given). */
export function figureSet(agg: readonly AggregateRow[], options: FigureSetOptions = {}): NamedFigure[] {
  const out: NamedFigure[] = [];
  const groups = groupByTable(agg);
  const chosen = (metrics: string[]) => (options.metrics ? metrics.filter((m) => options.metrics!.includes(m)) : metrics.filter((m) => metricClass(m) === null));
  for (const g of groups) {
    const { dataset, task, depth } = g[0]!;
    const base = `${safeName(dataset)}-${safeName(task)}${depth === null ? '' : `-r${depth}`}`;
    const ref = referenceFor(g, options);
    // a difference needs something other than the original
    if (g.some((r) => r.status === 'ok' || r.status === 'pending')) {
      const metrics = chosen([...new Set(g.map((r) => r.metric))]);
      const task_ = metrics.filter((m) => !m.startsWith(PRIVACY));
      for (const metric of task_) {
        const spec = differenceFigure(agg, { dataset, task, metric, depth, labels: options.labels, reference: ref.rows, referenceName: ref.table || undefined });
        out.push({ name: `difference-${base}-${safeName(metric)}`, spec });
      }
      // what each method costs against what it still reveals
      const utility = task_.find((m) => /person/.test(m)) ?? task_[0];
      for (const privacy of utility ? metrics.filter(isLeakFigure) : []) {
        const spec = utilityPrivacyFigure(agg, { dataset, task, depth, utility: utility!, privacy, labels: options.labels });
        if (spec) out.push({ name: `utility-privacy-${base}-${safeName(privacy)}`, spec });
      }
    }
    const heat = relativeIouHeatmap(agg, { dataset, task, depth, labels: options.labels });
    if (heat) out.push({ name: `relative-iou-${base}`, spec: heat });
  }
  for (const metric of chosen([...new Set(agg.filter((r) => r.depth !== null).map((r) => r.metric))])) {
    const spec = depthFigure(agg, { metric, labels: options.labels });
    if (spec) out.push({ name: `depth-${safeName(metric)}`, spec });
  }
  if (options.boxSizes && options.boxSizes.length > 0) out.push({ name: 'box-size-cdf', spec: boxSizeCdfFigure(options.boxSizes) });
  return out;
}
