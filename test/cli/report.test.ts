// `anon-impact table` and `anon-impact figures` end to end on a small results CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResultsCsv } from '../../lib/experiments/results-csv.ts';
import { DEFAULT_CHROMIUM } from '../../lib/report/export.ts';
import { EXPECTED, SMALL, SMALL_MARKDOWN } from '../report/fixtures.ts';
import { cli as runCli } from './fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const cli = (args: string[]) => runCli(args, { cwd: ROOT });

const dir = await mkdtemp(join(tmpdir(), 'report-cli-'));
test.after(() => rm(dir, { recursive: true, force: true }));
const results = join(dir, 'results.csv');
await writeResultsCsv(results, SMALL);

test('table: Markdown with pending cells, CSV with --out, --compare with a paper table, errors', async () => {
  const expect = EXPECTED.map((e) => `${e.region}:${e.method}`).join(',');
  const out = join(dir, 'table.csv');
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, 'run_id,dataset\n');
  // independent runs, started together
  const [md, csv, cmp, err] = await Promise.all([
    cli(['table', '--results', results, '--expect', expect]),
    cli(['table', '--results', results, '--format', 'csv', '--out', out]),
    cli(['table', '--results', results, '--compare', 'hukkelas2023-main-T1']),
    cli(['table', '--results', bad]),
  ]);
  assert.equal(md.code, 0, md.stderr);
  assert.equal(md.stdout, SMALL_MARKDOWN);
  assert.equal(csv.stdout.trim(), out);
  const lines = (await readFile(out, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^dataset,task,depth,region,method,metric,status,n,missing,seeds,mean,sd,se,baseline_mean,delta,delta_se,relative_pct,delta_ci_low,delta_ci_high,welch_statistic,welch_pvalue,welch_df,mannwhitney_statistic,mannwhitney_pvalue,wilcoxon_statistic,wilcoxon_pvalue$/);
  assert.match(lines[3]!, /^cityscapes,instance-segmentation,,face,blur,segm\/AP,ok,3,0,"0,1,2",36\.4,.*,0\.25$/);
  assert.equal(cmp.code, 0, cmp.stderr);
  assert.ok(cmp.stdout.includes('| Face | Blur | AP | 36.4 ± 0.2 (-0.3) | 36.4 ± 0.2 (-0.3) | -0.82% | -0.82% |'), cmp.stdout);
  assert.equal(err.code, 1);
  assert.match(err.stderr, /bad\.csv: line 1: header: expected 'run_id,dataset,task,region,method,seed,metric,value,budget,trainer'/);
});

const skip = existsSync(process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM) ? false : `${DEFAULT_CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to test figure export`;

test('figures: writes the figures that apply and prints their paths', { skip }, async () => {
  const out = join(dir, 'figs');
  const r = await cli(['figures', '--results', results, '--out', out, '--format', 'svg', '--reference', 'results/reference']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [join(out, 'difference-cityscapes-instance-segmentation-segm_AP.svg')]);
  const svg = await readFile(join(out, 'difference-cityscapes-instance-segmentation-segm_AP.svg'), 'utf8');
  assert.ok(svg.startsWith('<svg'));
  assert.match(svg, /hukkelas2023-main-T1: Face/);
  assert.deepEqual(await readdir(out), ['difference-cityscapes-instance-segmentation-segm_AP.svg']);
});

test('figures: nothing to draw is an error', async () => {
  const only = join(dir, 'original.csv');
  await writeResultsCsv(only, SMALL.filter((r) => r.method === 'original'));
  const r = await cli(['figures', '--results', only, '--out', join(dir, 'none'), '--format', 'png,gif']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown image format 'gif'/);
  const n = await cli(['figures', '--results', only, '--out', join(dir, 'none')]);
  assert.equal(n.code, 1);
  assert.match(n.stderr, /no figure applies/);
});
