// `anon-impact table`: the aggregated results table of a results CSV, in the papers' layout
// (Markdown, HTML) or flat (CSV), or side by side with a published table (--compare).
import { resolve } from 'node:path';
import { writeFileAtomic } from '../data/atomic.ts';
import { formatCsv } from '../experiments/csv.ts';
import { readResultsCsv } from '../experiments/results-csv.ts';
import { aggregate, toTable, type ExpectedCell } from '../report/aggregate.ts';
import { compareWithReference, renderCompareMarkdown } from '../report/compare.ts';
import { readReference } from '../report/reference.ts';
import { renderHtml, renderMarkdown } from '../report/tables.ts';
import { int, num, parse, required } from './args.ts';

const USAGE = `usage: anon-impact table --results FILE [--format md|html|csv] [--out FILE]
                         [--expect REGION:METHOD,...] [--metrics LIST] [--baseline NAME] [--digits N]
                         [--mark mannwhitney|wilcoxon] [--alpha P]
       anon-impact table --results FILE --compare TABLE [--reference DIR] [--dataset D] [--task T]
                         [--unit percent|fraction] [--alias REGION:METHOD=PAPER_REGION:PAPER_METHOD]... [--out FILE]

  --results   a results CSV (run_id,dataset,task,region,method,seed,metric,value[,budget,trainer])
  --format    md (default): one table per dataset/task, rows region/method, cells "mean ± se (Δ)";
              html: the same as <table>s; csv: every aggregate number (n, sd, Δ, relative change, p-values)
  --expect    cells to show as "pending" until they have runs, e.g. face:blur,face:maskout,body:realistic
  --metrics   the columns and their order (default: every metric met)
  --baseline  the method trained on the original data (default original)
  --mark      append * to cells whose test against the original has p < --alpha (default 0.05)
  --compare   a reference table id (results/reference/README.md), e.g. hukkelas2023-main-T1
  --reference folder or file of published tables (default results/reference)
  --unit      unit of our AP-like values for --compare (default percent)
  --alias     our cell standing for a differently named paper row, e.g. face:realistic=face+plate:dnat`;

function parseExpect(s: string): ExpectedCell[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const m = /^([^:]+):(.+)$/.exec(x);
      if (!m) throw new Error(`--expect: '${x}' is not REGION:METHOD`);
      return { region: m[1]!, method: m[2]! };
    });
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    results: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    expect: { type: 'string' },
    metrics: { type: 'string' },
    baseline: { type: 'string' },
    digits: { type: 'string' },
    mark: { type: 'string' },
    alpha: { type: 'string' },
    compare: { type: 'string' },
    reference: { type: 'string' },
    dataset: { type: 'string' },
    task: { type: 'string' },
    unit: { type: 'string' },
    alias: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = required(values, 'results');
  const format = values.format ?? 'md';
  if (!['md', 'html', 'csv'].includes(format)) throw new Error(`--format must be md, html or csv, got '${format}'`);
  const digits = int(values, 'digits', 1, 0, 10);
  const mark = values.mark;
  if (mark !== undefined && mark !== 'mannwhitney' && mark !== 'wilcoxon') throw new Error(`--mark must be mannwhitney or wilcoxon, got '${mark}'`);
  const unit = values.unit ?? 'percent';
  if (unit !== 'percent' && unit !== 'fraction') throw new Error(`--unit must be percent or fraction, got '${unit}'`);

  const rows = await readResultsCsv(resolve(file));
  const agg = aggregate(rows, {
    expected: values.expect ? parseExpect(values.expect) : undefined,
    metrics: values.metrics ? values.metrics.split(',').map((m) => m.trim()).filter(Boolean) : undefined,
    baseline: values.baseline,
  });

  let text: string;
  if (values.compare) {
    const ref = await readReference(resolve(values.reference ?? 'results/reference'));
    const aliases = (values.alias ?? []).map((a) => {
      const m = /^([^:=]+):([^=]+)=([^:=]+):(.+)$/.exec(a);
      if (!m) throw new Error(`--alias: '${a}' is not REGION:METHOD=PAPER_REGION:PAPER_METHOD`);
      return { region: m[1]!, method: m[2]!, paper: { region: m[3]!, method: m[4]! } };
    });
    const cmp = compareWithReference(agg, ref, { table: values.compare, dataset: values.dataset, task: values.task, oursUnit: unit, baseline: values.baseline, aliases });
    text = `### ${values.compare}: paper vs ours\n\n${renderCompareMarkdown(cmp, { digits, baseline: values.baseline })}`;
  } else if (format === 'csv') {
    const t = toTable(agg);
    const cols = t.columnNames();
    const cell = (v: unknown) => (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v));
    text = formatCsv([cols, ...t.objects().map((o) => cols.map((c) => cell((o as Record<string, unknown>)[c])))]);
  } else {
    const options = { digits, mark: mark ? { test: mark === 'wilcoxon' ? ('wilcoxon' as const) : ('mannWhitney' as const), alpha: num(values, 'alpha', 0.05) } : undefined };
    text = format === 'html' ? renderHtml(agg, options) : renderMarkdown(agg, options);
  }
  if (values.out) {
    await writeFileAtomic(resolve(values.out), text);
    console.log(resolve(values.out));
  } else {
    process.stdout.write(text);
  }
  return 0;
}
