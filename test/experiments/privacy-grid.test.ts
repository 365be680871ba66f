// A grid with `privacy: true`: a cached privacy stage per anonymized copy (lib/privacy), its
// figures as privacy/... rows of every run trained on that copy, columns in the table when the
// grid lists them, and the utility-versus-privacy figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planGridJob } from '../../lib/experiments/grid-job.ts';
import { parseGrid } from '../../lib/experiments/spec.ts';
import { readResultsCsv } from '../../lib/experiments/results-csv.ts';
import { aggregate } from '../../lib/report/aggregate.ts';
import { buildGridReport } from '../../lib/report/grid-report.ts';
import { utilityPrivacyFigure } from '../../lib/report/figures.ts';
import { rows } from '../report/fixtures.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const bin = new URL('../../bin/anon-impact.js', import.meta.url).pathname;

const SPEC = `name: privacy-grid
title: Privacy grid
task: instances
preset: smoke
seeds: [0]
privacy: true
metrics: [segm/AP-person, privacy/person-detected, privacy/colour-distance, privacy/pixel-independent, privacy/person-detected-original]
budget: { steps: 2, synth: { train: 3, val: 2, width: 256, height: 128 } }
conditions:
  - { region: none, method: original }
  - { region: face, method: blur }
  - { region: body, method: maskout }
`;

test('privacy: true plans one privacy stage per anonymized copy; without it there is none', async () => {
  const spec = parseGrid('p.yaml', { name: 'p', title: 'p', task: 'instances', seeds: [0, 1], metrics: ['segm/AP'], privacy: true, conditions: [{ region: 'none', method: 'original' }, { region: 'face', method: 'blur' }, { region: 'face+plate', method: 'maskout' }] });
  const plan = await planGridJob(spec, {});
  const privacy = plan.stages.filter((s) => s.kind === 'privacy');
  assert.equal(privacy.length, 2);
  assert.deepEqual(privacy.map((s) => (s.input.params as { region: string }).region), ['face', 'face'], 'plates are not measured');
  assert.equal(plan.conditions[0]!.privacy, undefined);
  assert.ok(plan.conditions.slice(1).every((c) => c.privacy && c.runs.length === 2));
  assert.equal((await planGridJob({ ...spec, privacy: false }, {})).stages.filter((s) => s.kind === 'privacy').length, 0);
});

test('a grid with privacy figures: rows per run of each copy, table columns, the utility-versus-privacy figure', { timeout: 300_000 }, async (t) => {
  const dir = await tempDir(t, 'privacy-grid-');
  await writeFile(join(dir, 'g.yaml'), SPEC);
  const r = spawnSync(process.execPath, [bin, 'grid', join(dir, 'g.yaml'), '--cache', join(dir, 'cache'), '--results', join(dir, 'results'), '--no-figures', '--concurrency', '2', '--workers', '0', '--backend', 'wasm'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-20).join('\n'));
  assert.match(r.stderr, /done +privacy figures of the face \/ blur copy \(face regions, 4 images\)/);
  const csv = await readResultsCsv(join(dir, 'results', 'privacy-grid.csv'));
  const of = (method: string, metric: string) => csv.find((x) => x.method === method && x.metric === metric)?.value;
  // mask-out's pixels do not depend on the originals, blur's do; the original has no privacy rows
  assert.equal(of('maskout', 'privacy/pixel-independent'), 1);
  assert.equal(of('blur', 'privacy/pixel-independent'), 0);
  assert.equal(of('original', 'privacy/pixel-independent'), undefined);
  // the colour histograms of a masked-out body have nothing left of the person's colours
  assert.ok(of('maskout', 'privacy/colour-distance')! > 0.5, `colour distance ${of('maskout', 'privacy/colour-distance')}`);
  for (const m of ['privacy/face-reid', 'privacy/face-detected', 'privacy/person-detected', 'privacy/person-detected-original']) assert.ok(csv.some((x) => x.metric === m), m);
  const md = await readFile(join(dir, 'results', 'privacy-grid.md'), 'utf8');
  assert.match(md.split('\n').find((l) => l.startsWith('| Region'))!, /\| Privacy: person detected \(%\) \| Privacy: colour distance \| Privacy: pixel-independent \| Privacy: person detected, original \(%\) \|$/);
  const plan = await planGridJob(parseGrid('g.yaml', (await import('yaml')).parse(SPEC)), {});
  const report = await buildGridReport({ plan, rows: csv });
  assert.ok(report.figures.some((f) => f.name === 'utility-privacy-synth-instance-segmentation-privacy_person-detected'), report.figures.map((f) => f.name).join(' '));
  // pixel independence is a column (yes/no), not a figure: a property of the method
  assert.match(md.split('\n').find((l) => l.includes('| Mask-out |'))!, /\| yes \| [\d.]+ \|$/);
  assert.ok(!report.figures.some((f) => /pixel-independent|original/.test(f.name)), report.figures.map((f) => f.name).join(' '));
});

test('the utility-versus-privacy figure: one point per method at (privacy, Δ utility)', () => {
  const agg = aggregate([
    ...rows('original', 'none', 'segm/AP-person', [30, 32]),
    ...rows('blur', 'body', 'segm/AP-person', [20, 22]),
    ...rows('blur', 'body', 'privacy/person-detected', [80, 80]),
    ...rows('maskout', 'body', 'segm/AP-person', [5, 7]),
    ...rows('maskout', 'body', 'privacy/person-detected', [10, 10]),
  ]);
  const spec = utilityPrivacyFigure(agg, { dataset: 'cityscapes', task: 'instance-segmentation', utility: 'segm/AP-person', privacy: 'privacy/person-detected' })!;
  const d = spec.data[0] as Record<string, any>;
  assert.deepEqual(d.x, [80, 10]);
  assert.deepEqual(d.y, [-10, -25]);
  assert.deepEqual(d.text, ['Body Blur', 'Body Mask-out']);
  // the axis names the figure with its unit once
  assert.equal((spec.layout as Record<string, any>).xaxis.title.text, 'Privacy: person detected (%)');
  // room for the labels of the points at the edges: a fifth of the span (70) either side
  assert.deepEqual((spec.layout as Record<string, any>).xaxis.range, [-4, 94]);
  assert.equal(utilityPrivacyFigure(agg, { dataset: 'cityscapes', task: 'instance-segmentation', utility: 'segm/AP-person', privacy: 'privacy/face-reid' }), null);
});
