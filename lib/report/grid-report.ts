// The report of one grid: its table as the paper prints it (Markdown and HTML), the side-by-side
// with the published numbers when the grid re-runs a published table, and its figures.
// buildGridReport makes it in memory (what a notebook displays); writeGridReport writes it to
// files (what the grid command leaves behind).
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.ts';
import { PACKAGE_ROOT } from '../experiments/grid-presets.ts';
import type { MetricRow } from '../experiments/metric-row.ts';
import { budgetOf, planRowsOf, trainerOf, type Plan } from '../experiments/plan.ts';
import { resultMethod } from '../experiments/spec.ts';
import { pretrainedEncoderInfo } from '../nn/pretrained-encoder.ts';
import { aggregate, type AggregateRow, type ExpectedCell } from './aggregate.ts';
import { compareWithReference, renderCompareHtml, renderCompareMarkdown, type CellAlias, type CompareRow } from './compare.ts';
import { exportFigures, type ImageFormat } from './export.ts';
import { figureSet, type NamedFigure } from './figure-set.ts';
import { compareFigure } from './figures.ts';
import type { Labels } from './labels.ts';
import { readReference } from './reference.ts';
import { htmlEscape, renderHtml, renderMarkdown, significanceMark } from './tables.ts';

export interface GridReportInput {
  plan: Plan;
  /** All rows of the grid's runs (other grids' rows are left out by run id). */
  rows: readonly MetricRow[];
  /** Folder against which the grid's reference path is resolved (default: the package root). */
  root?: string;
}

export interface GridReportOptions extends GridReportInput {
  /** Folder for `<grid>.md` and `<grid>.html`. */
  outDir: string;
  /** Folder for the figures (none when undefined). */
  figuresDir?: string;
  formats?: ImageFormat[];
}

/** One grid's report, in memory. */
export interface GridReportContent {
  title: string;
  agg: AggregateRow[];
  labels: Labels;
  /** The table alone (Markdown and HTML). */
  tableMarkdown: string;
  tableHtml: string;
  /** Conditions that did not run, with the reason. */
  pending: string[];
  /** The line under the table: seeds, what (Δ) means. */
  note: string;
  /** Paper vs ours, when the grid names a published table and some cells match it. */
  compare?: { heading: string; rows: CompareRow[]; markdown: string; html: string };
  /** Everything above as one Markdown document (the `<grid>.md` file). */
  markdown: string;
  /** The same as one self-contained HTML page (the `<grid>.html` file). */
  html: string;
  /** The figures that apply (none when there are no rows). */
  figures: NamedFigure[];
}

export interface GridReport {
  markdown: string;
  files: string[];
}

/** What the grid's models are: trained from scratch, or a head on which pretrained weights (origin, licence; frozen or the decoder fine-tuned), and for how many steps. */
export function modelNote(plan: Plan): string {
  const stage = plan.stages.find((s) => s.kind === 'train');
  if (!stage) return '';
  const trainer = trainerOf(stage);
  const steps = ` for ${trainer.steps} steps`;
  const name = trainer.model.pretrained;
  // instance predictions as predict makes them by default (lib/train/predict.ts)
  const decoding = plan.grid.task === 'instances' ? ' Instance predictions average the maps of each image and its mirror image and refine the class probabilities with a colour guided filter steered by the image (He et al. 2013).' : '';
  if (!name) return `Models are trained from scratch${steps} (no pretrained weights; the papers fine-tune ImageNet-pretrained backbones).${decoding}`;
  const info = pretrainedEncoderInfo(name);
  const which = trainer.model.fineTune === 'decoder' ? `the ${name} encoder with its decoder fine-tuned and its backbone frozen` : `the frozen ${name} encoder`;
  return `Models: a head trained${steps} on ${which} (${info.trainedOn}; ${info.origin}; licence: ${info.licence})${info.detectsPeople ? ', which was trained to detect real people, unlike the papers\' ImageNet backbones' : ''}.${decoding}`;
}

export async function buildGridReport(o: GridReportInput): Promise<GridReportContent> {
  const { plan } = o;
  const grid = plan.grid;
  // this plan's runs only: rows of other grids, budgets and seeds share the file
  const rows = planRowsOf(plan, o.rows);
  const expected: ExpectedCell[] = plan.conditions.map((c) => ({ region: c.condition.region, method: resultMethod(c.condition) }));
  const labels: Labels = { methods: {} };
  for (const c of plan.conditions) if (c.condition.label) labels.methods![resultMethod(c.condition)] = c.condition.label;
  const agg = aggregate(rows, { expected, metrics: grid.metrics });

  // differences marked by the grid's first-choice test (Welch's t when it lists it), p-values beside them
  const mark = significanceMark(grid.tests);
  const tableMarkdown = renderMarkdown(agg, { labels, headings: false, mark });
  const tableHtml = renderHtml(agg, { labels, headings: false, mark });
  const pending = plan.conditions.filter((c) => c.pending).map((c) => `${c.label}: ${c.pending}`);
  const warning = budgetOf(grid, plan.budget).warning;
  const note = `AP in percent; mean ± standard error over seeds ${(plan.conditions.find((c) => c.runs.length)?.runs ?? []).map((r) => r.seed).join(', ')}; (Δ) = difference to the original dataset, in percentage points. ${modelNote(plan)}${warning ? ` Note: ${warning}.` : ''}`;
  // a grid run on a user's manifest: its own title would name the grid's dataset
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  const title = plan.dataset.kind === 'manifest' ? `${grid.title} — run on ${datasets.join(', ') || plan.dataset.path}, not on the grid's own dataset` : grid.title;
  const parts = [`# ${title}`, '', tableMarkdown];
  if (pending.length) parts.push('', 'Pending (not run yet):', ...pending.map((p) => `- ${p}`));
  parts.push('', note);

  let compare: GridReportContent['compare'];
  if (grid.source?.reference) {
    const ref = await readReference(join(o.root ?? PACKAGE_ROOT, grid.source.reference));
    const aliases: CellAlias[] = plan.conditions
      .filter((c) => c.condition.reference)
      .map((c) => ({ region: c.condition.region, method: resultMethod(c.condition), paper: { region: c.condition.reference!.region ?? c.condition.region, method: c.condition.reference!.method ?? resultMethod(c.condition) } }));
    const cmp = compareWithReference(agg.filter((a) => grid.metrics.includes(a.metric)), ref, { table: grid.source.table, aliases });
    if (cmp.length) {
      const theirs = [...new Set(ref.filter((r) => r.table === grid.source!.table).map((r) => r.dataset))];
      const same = theirs.length === 1 && datasets.length === 1 && theirs[0] === datasets[0];
      const which = same ? '' : `; different datasets: the paper's ${theirs.join(', ')}, ours ${datasets.join(', ')}: compare the differences, not the levels`;
      compare = { heading: `Paper vs ours (${grid.source.paper}, ${grid.source.table}${which})`, rows: cmp, markdown: renderCompareMarkdown(cmp, { labels }), html: renderCompareHtml(cmp, { labels }) };
      parts.push('', `## ${compare.heading}`, '', compare.markdown);
    }
  }
  const figures = rows.length ? figureSet(agg, { metrics: grid.metrics, labels }) : [];
  // paper vs ours, one figure per metric both have
  for (const metric of compare ? grid.metrics : []) {
    const spec = compareFigure(compare!.rows, metric, { labels });
    if (spec) figures.push({ name: `paper-vs-ours-${metric.replace(/[^A-Za-z0-9-]+/g, '_')}`, spec });
  }
  const html = reportHtml({ title, tableHtml, pending, note, compare });
  return { title, agg, labels, tableMarkdown, tableHtml, pending, note, compare, markdown: parts.join('\n') + '\n', html, figures };
}

/** Table styling of the HTML report: the Markdown table's look (ruled header, right-aligned numbers). */
const REPORT_CSS = `body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
table.anon-impact-results{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}
table.anon-impact-results th,table.anon-impact-results td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
table.anon-impact-results thead th{background:#f3f3f3}
table.anon-impact-results td.pending{color:#888;font-style:italic}
table.anon-impact-results tfoot td{font-size:.9em;color:#555;border:none;padding-top:.5em}
p.note{font-size:.95em;color:#444}`;

/** The report as one HTML page: title, table, pending conditions, the note under the table, the paper comparison. */
function reportHtml(r: Pick<GridReportContent, 'title' | 'tableHtml' | 'pending' | 'note' | 'compare'>): string {
  const parts = ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', `<title>${htmlEscape(r.title)}</title>`, `<style>${REPORT_CSS}</style>`, '</head>', '<body>', `<h1>${htmlEscape(r.title)}</h1>`, r.tableHtml.trimEnd()];
  if (r.pending.length) parts.push('<p>Pending (not run yet):</p>', `<ul>${r.pending.map((p) => `<li>${htmlEscape(p)}</li>`).join('')}</ul>`);
  parts.push(`<p class="note">${htmlEscape(r.note)}</p>`);
  if (r.compare) parts.push(`<h2>${htmlEscape(r.compare.heading)}</h2>`, r.compare.html.trimEnd());
  parts.push('</body>', '</html>');
  return parts.join('\n') + '\n';
}

export async function writeGridReport(o: GridReportOptions): Promise<GridReport> {
  const grid = o.plan.grid;
  const r = await buildGridReport(o);
  const files = [join(o.outDir, `${grid.name}.md`), join(o.outDir, `${grid.name}.html`)];
  await writeFileAtomic(files[0]!, r.markdown);
  await writeFileAtomic(files[1]!, r.html);
  if (o.figuresDir && r.figures.length) files.push(...(await exportFigures(r.figures, o.figuresDir, o.formats ?? ['png', 'svg', 'pdf'])));
  return { markdown: r.markdown, files };
}
