import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveGrid, selectConditions } from '../../lib/experiments/grid-presets.ts';
import type { MetricRow } from '../../lib/experiments/metric-row.ts';
import { planGrid } from '../../lib/experiments/plan.ts';
import { buildGridReport, writeGridReport } from '../../lib/report/grid-report.ts';

const available = () => undefined;

function runRows(grid: string, id: string, region: string, method: string, ap: number[], budget = 'standard'): MetricRow[] {
  return ap.flatMap((v, seed) =>
    ['segm/AP', 'segm/AP50', 'segm/AP-person'].map((metric, k) => ({ runId: `${grid}/${budget}/${id}/seed${seed}`, dataset: 'synth-cityscapes', task: 'instance-segmentation', region, method, seed, metric, value: v + 10 * k })),
  );
}

test('in memory: the table, the pending cells, paper vs ours and the figures of a grid', async () => {
  const grid = selectConditions(await resolveGrid('synth-traditional'), ['none:original', 'face:blur', 'body:maskout'], 'report-test');
  const plan = await planGrid(grid, { methodAvailability: available, seeds: [0, 1] });
  const rows = [...runRows('report-test', 'none:original', 'none', 'original', [30, 32]), ...runRows('report-test', 'face:blur', 'face', 'blur', [29, 31]), ...runRows('other', 'none:original', 'none', 'original', [99, 99]), ...runRows('report-test', 'none:original', 'none', 'original', [77, 77], 'smoke'), ...runRows('report-test', 'none:original', 'none', 'original', [30, 32, 66]).filter((x) => x.seed === 2)];
  const r = await buildGridReport({ plan, rows });
  assert.equal(r.title, grid.title);
  // original 31 ± 1 (Δ), face blur 30 ± 1 (-1.0), body mask-out without rows: pending
  assert.match(r.tableMarkdown, /\| Original \| 31\.0 ± 1\.0 \(Δ\) \|/);
  assert.match(r.tableMarkdown, /\| Face \| Blur \| 30\.0 ± 1\.0 \(-1\.0\) \|/);
  assert.match(r.tableMarkdown, /\| Body \| Mask-out \| pending \|/);
  // synth-traditional lists [welch, mannwhitney]: Welch's t marks the table, its p-values beside each metric;
  // blur [29, 31] vs [30, 32]: t = -1/√2, df = 2, p = 1 - |t|/√(2 + t²) = 1 - 1/√5 = 0.553
  // segm and box metrics in one table: each column names its family
  assert.match(r.tableMarkdown, /\| Region \| Method \| Segm\. AP \| p \| Segm\. AP50 \| p \| Segm\. AP person \| p \| Box AP person \| p \|/);
  assert.match(r.tableMarkdown, /\| Face \| Blur \| 30\.0 ± 1\.0 \(-1\.0\) \| 0\.553 \|/);
  assert.match(r.tableMarkdown, /\n\\\* p < 0\.05, Welch's t-test of the method's runs against the original's \(two-sided\); p: its p-value\.\n$/);
  assert.match(r.tableHtml, /<tfoot>.*Welch's t-test/);
  assert.match(r.tableHtml, /<table class="anon-impact-results">/);
  assert.ok(!r.tableMarkdown.includes('99'), 'rows of other grids are left out');
  assert.ok(!r.tableMarkdown.includes('77'), 'rows of the same grid run with another budget are left out');
  assert.ok(!r.tableMarkdown.includes('66') && !r.tableMarkdown.includes('42.7'), 'rows of a seed the plan does not run (seed 2 of an earlier seed list) are left out');
  assert.match(r.note, /seeds 0, 1/);
  assert.ok(!r.note.includes('smoke run'), 'the standard budget gives no warning');
  const quick = await buildGridReport({ plan: await planGrid(grid, { methodAvailability: available, seeds: [0, 1], preset: 'smoke' }), rows: [] });
  assert.match(quick.note, /Note: the smoke budget is a smoke run: 50 training steps on 48 images teach the models too little/);
  // the note says which weights the models start from, where they come from and their licence
  assert.match(r.note, /a head trained for 550 steps on the centernet-mobilenetv3-coco encoder with its decoder fine-tuned and its backbone frozen \(COCO 2017 detection.*@vladmandic\/human 3\.3\.6.*licence: .*MIT.*trained to detect real people.*mirror image.*guided filter/);
  assert.deepEqual(r.pending, []);
  assert.ok(r.compare, 'synth-traditional names the published Table 1');
  // the paper's Cityscapes against the synthetic set: said plainly
  assert.equal(r.compare.heading, "Paper vs ours (hukkelas2023, hukkelas2023-main-T1; different datasets: the paper's cityscapes, ours synth-cityscapes: compare the differences, not the levels)");
  assert.ok(r.compare.rows.some((x) => x.method === 'blur' && x.paper !== null && x.ours !== null));
  assert.ok(r.markdown.startsWith(`# ${grid.title}\n`));
  assert.ok(r.markdown.includes(r.compare.markdown));
  assert.deepEqual(
    r.figures.map((f) => f.name),
    [
      'difference-synth-cityscapes-instance-segmentation-segm_AP',
      'difference-synth-cityscapes-instance-segmentation-segm_AP50',
      'difference-synth-cityscapes-instance-segmentation-segm_AP-person',
      'difference-synth-cityscapes-instance-segmentation-bbox_AP-person',
      // the paper's relative changes beside ours, for the metrics Table 1 prints
      'paper-vs-ours-segm_AP',
      'paper-vs-ours-segm_AP50',
      'paper-vs-ours-segm_AP-person',
    ],
  );
  // no rows: no figures
  assert.deepEqual((await buildGridReport({ plan, rows: [] })).figures, []);
});

test('written: <grid>.md holds the in-memory Markdown, <grid>.html the same as a styled page', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'grid-report-'));
  try {
    const grid = selectConditions(await resolveGrid('synth-traditional'), ['none:original', 'face:blur'], 'report-test');
    const plan = await planGrid(grid, { methodAvailability: available, seeds: [0] });
    const rows = [...runRows('report-test', 'none:original', 'none', 'original', [30]), ...runRows('report-test', 'face:blur', 'face', 'blur', [29])];
    const w = await writeGridReport({ plan, rows, outDir: dir });
    assert.deepEqual(w.files, [join(dir, 'report-test.md'), join(dir, 'report-test.html')]);
    assert.equal(await readFile(w.files[0]!, 'utf8'), (await buildGridReport({ plan, rows })).markdown);
    const html = await readFile(w.files[1]!, 'utf8');
    assert.match(html, /<h1>.*<\/h1>\n<table class="anon-impact-results">/s);
    // styled as the Markdown table reads, with its note and the paper comparison
    assert.match(html, /<style>[^<]*table\.anon-impact-results/);
    assert.match(html, /<p class="note">AP in percent; mean ± standard error over seeds 0; \(Δ\) = difference to the original dataset, in percentage points\./);
    assert.match(html, /<h2>Paper vs ours \(hukkelas2023, hukkelas2023-main-T1; different datasets/);
    assert.match(html, /<table class="anon-impact-results anon-impact-compare">/);
    assert.equal(html, (await buildGridReport({ plan, rows })).html);
    assert.ok(!existsSync(join(dir, 'figures')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
