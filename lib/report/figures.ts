// Plotly figure specs (plain JSON {data, layout}) for the papers' figures, built from aggregated
// results. They render in notebooks as they are (Plotly.newPlot(div, spec.data, spec.layout)) and
// export to PNG/SVG/PDF through lib/report/export.ts.
import { metricClass } from '../experiments/metric-row.ts';
import type { AggregateRow } from './aggregate.ts';
import type { BoxSizePoint } from './box-sizes-csv.ts';
import { metricLabel, methodLabel, regionLabel, type Labels } from './labels.ts';
import type { CompareRow } from './compare.ts';
import type { ReferenceRow } from './reference.ts';

export interface FigureSpec {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const FONT = { family: 'DejaVu Sans, Arial, sans-serif', size: 13 };

function baseLayout(title: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { title: { text: title }, font: FONT, width: 900, height: 520, margin: { l: 70, r: 30, t: 60, b: 80 }, ...extra };
}

/** NaN (not JSON) as null, which Plotly draws as a gap. */
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

export interface DifferenceOptions {
  dataset: string;
  task: string;
  metric: string;
  depth?: number | null;
  labels?: Labels;
  /** Published rows to overlay as markers (their Δ, matched by region and method); already in our unit. */
  reference?: readonly Pick<ReferenceRow, 'region' | 'method' | 'metric' | 'delta' | 'se' | 'mean'>[];
  /** Name of the reference in the legend (default "paper"). */
  referenceName?: string;
}

/**
 * The difference to the original per method (Δ = method mean - original mean), bars grouped by
 * region, error bars the percentile bootstrap confidence interval of Δ (the aggregate's deltaCi,
 * asymmetric; none where a side has fewer than two runs), as the y axis title says. Methods
 * expected but without runs ('pending') keep their place on the axis with a "pending" label. The
 * paper's markers carry its printed ± (a standard error).
 */
export function differenceFigure(agg: readonly AggregateRow[], options: DifferenceOptions): FigureSpec {
  const depth = options.depth ?? null;
  const rows = agg.filter((r) => r.dataset === options.dataset && r.task === options.task && r.metric === options.metric && r.depth === depth && r.status !== 'baseline');
  const methods = [...new Set(rows.map((r) => r.method))];
  const regions = [...new Set(rows.map((r) => r.region))];
  const labels = options.labels;
  const x = methods.map((m) => methodLabel(m, labels));
  const data: Record<string, unknown>[] = regions.map((region) => {
    const by = new Map(rows.filter((r) => r.region === region).map((r) => [r.method, r]));
    const ys = methods.map((m) => by.get(m));
    return {
      type: 'bar',
      name: regionLabel(region, labels) || region,
      offsetgroup: region,
      x,
      y: ys.map((r) => (r ? num(r.delta) : null)),
      error_y: {
        type: 'data',
        symmetric: false,
        array: ys.map((r) => (r?.deltaCi ? num(r.deltaCi.high - r.delta) : null)),
        arrayminus: ys.map((r) => (r?.deltaCi ? num(r.delta - r.deltaCi.low) : null)),
        visible: true,
      },
      text: ys.map((r) => (r?.status === 'pending' ? 'pending' : '')),
      textposition: 'outside',
      customdata: ys.map((r) => (r ? [r.n, num(r.relativePct), num(r.deltaCi?.low ?? NaN), num(r.deltaCi?.high ?? NaN)] : [0, null, null, null])),
      hovertemplate: '%{x}: Δ %{y:.3f} (%{customdata[1]:.2f}%), interval [%{customdata[2]:.3f}, %{customdata[3]:.3f}], n = %{customdata[0]}<extra>%{fullData.name}</extra>',
    };
  });
  const refRows = (options.reference ?? []).filter((r) => r.metric === options.metric && r.method !== 'original' && Number.isFinite(r.delta));
  for (const region of regions) {
    const by = new Map(refRows.filter((r) => r.region === region).map((r) => [r.method, r]));
    if (![...by.keys()].some((m) => methods.includes(m))) continue;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${options.referenceName ?? 'paper'}: ${regionLabel(region, labels) || region}`,
      offsetgroup: region,
      x,
      y: methods.map((m) => (by.has(m) ? by.get(m)!.delta : null)),
      error_y: { type: 'data', array: methods.map((m) => (by.has(m) ? num(by.get(m)!.se) : null)), visible: true },
      marker: { symbol: 'diamond', size: 10, color: 'black' },
    });
  }
  const title = `${options.dataset} / ${options.task}${depth === null ? '' : ` / ResNet-${depth}`}: ${metricLabel(options.metric, true, labels)}, difference to original`;
  const level = rows.find((r) => r.deltaCi)?.deltaCi?.level ?? 0.95;
  return {
    data,
    layout: baseLayout(title, {
      barmode: 'group',
      scattermode: 'group',
      xaxis: { title: { text: 'method' }, type: 'category' },
      // two lines: on one the title outgrew the figure's height and was clipped at both ends
      yaxis: { title: { text: `Δ ${metricLabel(options.metric, true, labels)}, percentage points<br>(error bars: ${Math.round(level * 1000) / 10}% bootstrap interval)` }, zeroline: true, zerolinewidth: 2 },
      legend: { title: { text: 'region' } },
    }),
  };
}

/** The per-class IoU metrics of a (dataset, task): `sem_seg/IoU-<class>`. */
export function iouClassMetrics(agg: readonly AggregateRow[], dataset: string, task: string): string[] {
  return [...new Set(agg.filter((r) => r.dataset === dataset && r.task === task && metricClass(r.metric)?.kind === 'IoU').map((r) => r.metric))];
}

/**
 * Relative IoU change per class (Zhou & Beyerer, Table 1): a heatmap of classes x methods with
 * 100 · (IoU_method - IoU_original) / IoU_original of the mean IoUs over seeds, centred at 0.
 * Null when the results have no per-class IoU.
 */
export function relativeIouHeatmap(agg: readonly AggregateRow[], options: { dataset: string; task: string; depth?: number | null; labels?: Labels }): FigureSpec | null {
  const depth = options.depth ?? null;
  const metrics = iouClassMetrics(agg, options.dataset, options.task);
  if (metrics.length === 0) return null;
  const rows = agg.filter((r) => r.dataset === options.dataset && r.task === options.task && r.depth === depth && metrics.includes(r.metric) && r.status !== 'baseline');
  const cells = [...new Map(rows.map((r) => [JSON.stringify([r.region, r.method]), { region: r.region, method: r.method }])).values()];
  if (cells.length === 0) return null;
  const regions = new Set(cells.map((c) => c.region));
  const x = cells.map((c) => (regions.size > 1 ? `${regionLabel(c.region, options.labels)} ${methodLabel(c.method, options.labels)}`.trim() : methodLabel(c.method, options.labels)));
  const y = metrics.map((m) => metricClass(m)!.name);
  const by = new Map(rows.map((r) => [JSON.stringify([r.region, r.method, r.metric]), r]));
  const z = metrics.map((m) => cells.map((c) => num(by.get(JSON.stringify([c.region, c.method, m]))?.relativePct ?? NaN)));
  const finite = z.flat().filter((v): v is number => v !== null);
  const reach = Math.max(1e-9, ...finite.map(Math.abs));
  return {
    data: [
      {
        type: 'heatmap',
        x,
        y,
        z,
        zmid: 0,
        zmin: -reach,
        zmax: reach,
        colorscale: 'RdBu',
        colorbar: { title: { text: 'relative IoU change (%)' } },
        texttemplate: '%{z:.2f}',
        hovertemplate: '%{y} / %{x}: %{z:.2f}%<extra></extra>',
      },
    ],
    layout: baseLayout(`${options.dataset} / ${options.task}: relative IoU change per class`, {
      height: Math.max(360, 120 + 26 * y.length),
      xaxis: { title: { text: 'method' }, type: 'category' },
      yaxis: { title: { text: 'class' }, type: 'category', autorange: 'reversed' },
    }),
  };
}

/**
 * The person box-size CDF (Hukkelås & Lindseth, Figure 7): one step line per (dataset, split) of
 * the fraction of boxes whose relative length sqrt(wh / WH) is at most x; a dashed line marks
 * relative length 0.1, a box of 1% of the image area.
 */
export function boxSizeCdfFigure(points: readonly BoxSizePoint[]): FigureSpec {
  const series = new Map<string, BoxSizePoint[]>();
  for (const p of points) {
    const k = JSON.stringify([p.dataset, p.split]);
    let s = series.get(k);
    if (!s) series.set(k, (s = []));
    s.push(p);
  }
  const splits = new Set(points.map((p) => p.dataset)).size < series.size;
  const data = [...series.values()].map((s) => {
    const sorted = [...s].sort((a, b) => a.relativeLength - b.relativeLength);
    // the empirical CDF is 0 left of the smallest box and stays at its last value to the right
    const last = sorted[sorted.length - 1]!;
    const tail = last.relativeLength < 1 ? [{ x: 1, y: last.cdf }] : [];
    return {
      type: 'scatter',
      mode: 'lines',
      line: { shape: 'hv' },
      name: splits ? `${s[0]!.dataset} (${s[0]!.split})` : s[0]!.dataset,
      x: [0, ...sorted.map((p) => p.relativeLength), ...tail.map((t) => t.x)],
      y: [0, ...sorted.map((p) => p.cdf), ...tail.map((t) => t.y)],
    };
  });
  return {
    data,
    layout: baseLayout('Person box sizes: cumulative fraction of boxes', {
      xaxis: { title: { text: 'box length / image length, sqrt(wh / WH)' }, range: [0, 1] },
      yaxis: { title: { text: 'fraction of boxes' }, range: [0, 1.02] },
      showlegend: true,
      shapes: [{ type: 'line', x0: 0.1, x1: 0.1, y0: 0, y1: 1, yref: 'y', line: { dash: 'dash', width: 1, color: 'grey' } }],
      annotations: [{ x: 0.1, y: 1, yref: 'y', text: '1% of the image area', showarrow: false, xanchor: 'left', yanchor: 'bottom' }],
    }),
  };
}

/**
 * Relative drop against backbone depth (Hukkelås & Lindseth, Figure 8): x = ResNet depth,
 * y = relative drop in percent of the original of the same depth, 100 · (original - method) /
 * original (= -relative change), one line per (dataset, region, method). Error bars:
 * 100 · SE(Δ) / original mean (the original mean's own uncertainty in the denominator left out).
 * Null when no run records a backbone depth.
 */
export function depthFigure(agg: readonly AggregateRow[], options: { metric: string; labels?: Labels }): FigureSpec | null {
  const rows = agg.filter((r) => r.metric === options.metric && r.depth !== null && r.status === 'ok');
  if (rows.length === 0) return null;
  const depths = [...new Set(rows.map((r) => r.depth!))].sort((a, b) => a - b);
  const lines = new Map<string, AggregateRow[]>();
  for (const r of rows) {
    const k = JSON.stringify([r.dataset, r.task, r.region, r.method]);
    let l = lines.get(k);
    if (!l) lines.set(k, (l = []));
    l.push(r);
  }
  const data = [...lines.values()].map((l) => {
    const s = [...l].sort((a, b) => a.depth! - b.depth!);
    const f = s[0]!;
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: `${f.dataset}: ${regionLabel(f.region, options.labels)} ${methodLabel(f.method, options.labels)}`.replace(/: +/, ': '),
      x: s.map((r) => r.depth),
      y: s.map((r) => num(-r.relativePct)),
      error_y: { type: 'data', array: s.map((r) => num((100 * r.deltaSe) / r.baselineMean)), visible: true },
    };
  });
  return {
    data,
    layout: baseLayout(`Relative drop of ${metricLabel(options.metric, true, options.labels)} against backbone depth`, {
      xaxis: { title: { text: 'backbone' }, tickvals: depths, ticktext: depths.map((d) => `ResNet-${d}`), type: 'linear' },
      yaxis: { title: { text: `relative drop of ${metricLabel(options.metric, true, options.labels)} (%)` }, zeroline: true },
      showlegend: true,
    }),
  };
}

/**
 * Paper vs ours for one metric: the relative change of each (region, method) to its own original,
 * 100 · Δ / original, the paper's bars beside ours. Relative changes, not levels, because the
 * datasets and models differ. Where our original is too small to divide by (relativeOmitted)
 * our bar is left out and labelled "n/a". Null when the comparison has no row of the metric with
 * both sides.
 */
export function compareFigure(rows: readonly CompareRow[], metric: string, options: { labels?: Labels; title?: string } = {}): FigureSpec | null {
  const cells = rows.filter((r) => r.metric === metric && r.method !== 'original' && r.paper && r.ours && r.ours.status !== 'pending');
  if (cells.length === 0) return null;
  const labels = options.labels;
  const x = cells.map((r) => `${regionLabel(r.region, labels) || r.region} ${methodLabel(r.method, labels)}`.trim());
  const label = metricLabel(metric, true, labels);
  return {
    data: [
      { type: 'bar', name: 'paper', x, y: cells.map((r) => num(r.paper!.relativePct)), marker: { color: '#888888' }, hovertemplate: '%{x}: %{y:.1f}%<extra>paper</extra>' },
      {
        type: 'bar',
        name: 'ours',
        x,
        y: cells.map((r) => (r.ours!.relativeOmitted ? null : num(r.ours!.relativePct))),
        text: cells.map((r) => (r.ours!.relativeOmitted ? 'n/a' : '')),
        textposition: 'outside',
        hovertemplate: '%{x}: %{y:.1f}%<extra>ours</extra>',
      },
    ],
    layout: baseLayout(options.title ?? `${label}: change relative to the original, paper vs ours`, {
      barmode: 'group',
      xaxis: { title: { text: 'region and method' }, type: 'category' },
      yaxis: { title: { text: `100 · Δ / original ${label} (%)` }, zeroline: true, zerolinewidth: 2 },
    }),
  };
}

/** [min, max] of xs widened by a fifth of their span, at least 1, either side. */
function paddedRange(xs: readonly number[]): [number, number] {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = Math.max(1, (hi - lo) / 5);
  return [lo - pad, hi + pad];
}

/**
 * Utility versus privacy: one point per anonymization (region, method) of a (dataset, task), at
 * x = what the anonymized copy still reveals (a `privacy/...` metric of its runs) and y = the
 * difference of the task metric to the original (Δ, with its bootstrap interval as error bars,
 * as the difference figure has). Upper left is the trade-off a method wants: little revealed,
 * little lost. Null when no method has both numbers.
 */
export function utilityPrivacyFigure(agg: readonly AggregateRow[], options: { dataset: string; task: string; utility: string; privacy: string; depth?: number | null; labels?: Labels }): FigureSpec | null {
  const depth = options.depth ?? null;
  const cell = (r: AggregateRow) => JSON.stringify([r.region, r.method]);
  const of = (metric: string) => new Map(agg.filter((r) => r.dataset === options.dataset && r.task === options.task && r.depth === depth && r.metric === metric && r.status === 'ok').map((r) => [cell(r), r]));
  const util = of(options.utility);
  const priv = of(options.privacy);
  const cells = [...util.keys()].filter((k) => priv.has(k) && Number.isFinite(priv.get(k)!.mean) && Number.isFinite(util.get(k)!.delta));
  if (cells.length === 0) return null;
  const labels = options.labels;
  const u = cells.map((k) => util.get(k)!);
  const p = cells.map((k) => priv.get(k)!);
  const name = (r: AggregateRow) => `${regionLabel(r.region, labels) || r.region} ${methodLabel(r.method, labels)}`.trim();
  const ulabel = metricLabel(options.utility, true, labels);
  const plabel = metricLabel(options.privacy, true, labels);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers+text',
        x: p.map((r) => num(r.mean)),
        y: u.map((r) => num(r.delta)),
        text: u.map(name),
        textposition: 'top center',
        marker: { size: 11 },
        error_y: { type: 'data', symmetric: false, array: u.map((r) => (r.deltaCi ? num(r.deltaCi.high - r.delta) : null)), arrayminus: u.map((r) => (r.deltaCi ? num(r.delta - r.deltaCi.low) : null)), visible: true },
        hovertemplate: '%{text}: Δ %{y:.2f}, %{x:.2f}<extra></extra>',
        showlegend: false,
      },
    ],
    // the title on two lines and the x range padded by a fifth of its span (at least 1) either
    // side: on one line, and with points at the edges, the title and the labels were clipped
    layout: baseLayout(`${options.dataset} / ${options.task}:<br>utility (Δ ${ulabel}) versus privacy (${metricLabel(options.privacy, false, labels)})`, {
      xaxis: { title: { text: plabel }, zeroline: false, range: paddedRange(p.map((r) => r.mean)) },
      yaxis: { title: { text: `Δ ${ulabel}, percentage points<br>(error bars: 95% bootstrap interval)` }, zeroline: true, zerolinewidth: 2 },
    }),
  };
}
