// `anon-impact figures`: the figures that apply to a results CSV (lib/report/figure-set.ts), written
// as PNG, SVG and/or PDF through Debian's chromium; prints the written paths, one per line.
import { resolve } from 'node:path';
import { readResultsCsv } from '../experiments/results-csv.ts';
import type { MetricRow } from '../experiments/metric-row.ts';
import { aggregate, type ExpectedCell } from '../report/aggregate.ts';
import { readBoxSizesCsv, type BoxSizePoint } from '../report/box-sizes-csv.ts';
import { exportFigures, parseFormats } from '../report/export.ts';
import { figureSet } from '../report/figure-set.ts';
import { readReference, type ReferenceRow } from '../report/reference.ts';
import { int, num, parse } from './args.ts';

const USAGE = `usage: anon-impact figures --results FILE [--out DIR] [--format png,svg,pdf]
                           [--reference DIR [--table ID]] [--box-sizes FILE]... [--metrics LIST]
                           [--expect REGION:METHOD,...] [--baseline NAME] [--unit percent|fraction]
                           [--width PX] [--height PX] [--scale N]

  Draws what applies to the results:
    difference-<dataset>-<task>-<metric>   Δ to the original per method, grouped by region (summary metrics,
                                           or --metrics); with --reference the paper's Δ as markers
    relative-iou-<dataset>-<task>          relative IoU change per class (when sem_seg/IoU-<class> rows exist)
    depth-<metric>                         relative drop against backbone depth (when runs record backbone_depth)
    box-size-cdf                           person box-size CDF of the --box-sizes CSVs (anon-impact data stats)
  --out       folder (default figures)
  --format    any of png, svg, pdf (default png)
  --table     the reference table to overlay (default: the one of the same dataset and task matching most cells)
  --box-sizes may be given without --results
  Needs Debian's chromium (apt-get install chromium) or CHROMIUM_PATH.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    results: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    reference: { type: 'string' },
    table: { type: 'string' },
    'box-sizes': { type: 'string', multiple: true },
    metrics: { type: 'string' },
    expect: { type: 'string' },
    baseline: { type: 'string' },
    unit: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    scale: { type: 'string' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const boxFiles = values['box-sizes'] ?? [];
  if (!values.results && boxFiles.length === 0) {
    console.error(`--results (or --box-sizes) is required\n\n${USAGE}`);
    return 2;
  }
  const formats = parseFormats(values.format ?? 'png');
  const unit = values.unit ?? 'percent';
  if (unit !== 'percent' && unit !== 'fraction') throw new Error(`--unit must be percent or fraction, got '${unit}'`);
  const expected: ExpectedCell[] | undefined = values.expect
    ? values.expect.split(',').filter(Boolean).map((x) => {
        const m = /^([^:]+):(.+)$/.exec(x.trim());
        if (!m) throw new Error(`--expect: '${x}' is not REGION:METHOD`);
        return { region: m[1]!, method: m[2]! };
      })
    : undefined;

  const rows: MetricRow[] = values.results ? await readResultsCsv(resolve(values.results)) : [];
  const reference: ReferenceRow[] = values.reference ? await readReference(resolve(values.reference)) : [];
  if (values.table && !reference.some((r) => r.table === values.table)) throw new Error(`--table ${values.table}: not in ${values.reference ?? '(no --reference given)'}`);
  const boxSizes: BoxSizePoint[] = [];
  for (const f of boxFiles) boxSizes.push(...(await readBoxSizesCsv(resolve(f))));

  const agg = aggregate(rows, { expected, baseline: values.baseline });
  const figures = figureSet(agg, {
    metrics: values.metrics ? values.metrics.split(',').map((m) => m.trim()).filter(Boolean) : undefined,
    reference,
    table: values.table,
    unit,
    boxSizes,
  });
  if (figures.length === 0) {
    console.error(`no figure applies to ${values.results ?? 'the input'}: it needs methods besides the original, per-class IoU, backbone depths or box sizes`);
    return 1;
  }
  const size = {
    width: values.width === undefined ? undefined : int(values, 'width', 900, 50, 10000),
    height: values.height === undefined ? undefined : int(values, 'height', 520, 50, 10000),
    scale: num(values, 'scale', 2),
  };
  const paths = await exportFigures(figures, resolve(values.out ?? 'figures'), formats, size);
  for (const p of paths) console.log(p);
  return 0;
}
