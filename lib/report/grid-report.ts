// The report of one grid: its table as the paper prints it (Markdown and HTML), the side-by-side
// with the published numbers when the grid re-runs a published table, and its figures.
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.ts';
import type { MetricRow } from '../experiments/metric-row.ts';
import type { Plan } from '../experiments/plan.ts';
import { resultMethod } from '../experiments/spec.ts';
import { aggregate, type ExpectedCell } from './aggregate.ts';
import { compareWithReference, renderCompareMarkdown, type CellAlias } from './compare.ts';
import { exportFigures, type ImageFormat } from './export.ts';
import { figureSet } from './figure-set.ts';
import type { Labels } from './labels.ts';
import { readReference } from './reference.ts';
import { renderHtml, renderMarkdown } from './tables.ts';

export interface GridReportOptions {
  plan: Plan;
  /** All rows of the grid's runs (other grids' rows are left out by run id). */
  rows: readonly MetricRow[];
  /** Folder for `<grid>.md` and `<grid>.html`. */
  outDir: string;
  /** Folder for the figures (none when undefined). */
  figuresDir?: string;
  formats?: ImageFormat[];
  /** Repository root against which the grid's reference path is resolved. */
  root?: string;
}

export interface GridReport {
  markdown: string;
  files: string[];
}

export async function writeGridReport(o: GridReportOptions): Promise<GridReport> {
  const { plan } = o;
  const grid = plan.grid;
  const rows = o.rows.filter((r) => r.runId.startsWith(`${grid.name}/`));
  const expected: ExpectedCell[] = plan.conditions.map((c) => ({ region: c.condition.region, method: resultMethod(c.condition) }));
  const labels: Labels = { methods: {} };
  for (const c of plan.conditions) if (c.condition.label) labels.methods![resultMethod(c.condition)] = c.condition.label;
  const agg = aggregate(rows, { expected, metrics: grid.metrics });

  const parts = [`# ${grid.title}`, '', renderMarkdown(agg, { labels, headings: false })];
  const pending = plan.conditions.filter((c) => c.pending);
  if (pending.length) parts.push('', 'Pending (not run yet):', ...pending.map((c) => `- ${c.label}: ${c.pending}`));
  parts.push('', `Mean ± standard error over seeds ${(plan.conditions.find((c) => c.runs.length)?.runs ?? []).map((r) => r.seed).join(', ')}; (Δ) = difference to the original dataset. Models are trained from scratch (no ImageNet or COCO pretraining, unlike the papers).`);

  if (grid.source?.reference) {
    const ref = await readReference(join(o.root ?? process.cwd(), grid.source.reference));
    const aliases: CellAlias[] = plan.conditions
      .filter((c) => c.condition.reference)
      .map((c) => ({ region: c.condition.region, method: resultMethod(c.condition), paper: { region: c.condition.reference!.region ?? c.condition.region, method: c.condition.reference!.method ?? resultMethod(c.condition) } }));
    const cmp = compareWithReference(agg.filter((a) => grid.metrics.includes(a.metric)), ref, { table: grid.source.table, aliases });
    if (cmp.length) parts.push('', `## Paper vs ours (${grid.source.paper}, ${grid.source.table})`, '', renderCompareMarkdown(cmp, { labels }));
  }
  const markdown = parts.join('\n') + '\n';
  const files = [join(o.outDir, `${grid.name}.md`), join(o.outDir, `${grid.name}.html`)];
  await writeFileAtomic(files[0]!, markdown);
  await writeFileAtomic(files[1]!, `<!doctype html>\n<meta charset="utf-8">\n<title>${grid.title}</title>\n<h1>${grid.title}</h1>\n${renderHtml(agg, { labels, headings: false })}\n`);

  if (o.figuresDir && rows.length) {
    const figures = figureSet(agg, { metrics: grid.metrics, labels });
    files.push(...(await exportFigures(figures, o.figuresDir, o.formats ?? ['png', 'svg', 'pdf'])));
  }
  return { markdown, files };
}
