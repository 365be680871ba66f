import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { aggregate } from '../../lib/report/aggregate.ts';
import { compareWithReference, renderCompareMarkdown } from '../../lib/report/compare.ts';
import { readReference } from '../../lib/report/reference.ts';
import { close } from '../stats/close.ts';
import { rows, SMALL } from './fixtures.ts';

const ref = await readReference(fileURLToPath(new URL('../../results/reference', import.meta.url)));

test('paper vs ours joined by (table, region, method, metric); the paper rows we lack are pending', () => {
  const cmp = compareWithReference(aggregate(SMALL), ref, { table: 'hukkelas2023-main-T1' });
  assert.equal(cmp.length, 27); // every printed cell; our two metrics are among the table's
  const blur = cmp.find((r) => r.region === 'face' && r.method === 'blur' && r.metric === 'segm/AP')!;
  assert.deepEqual([blur.paper!.mean, blur.paper!.se, blur.paper!.delta], [36.4, 0.2, -0.3]);
  close(blur.paper!.relativePct, (100 * -0.3) / 36.7, 1e-12, 'paper relative change from its printed numbers');
  assert.equal(blur.ours!.status, 'ok');
  close(blur.ours!.mean, 36.4, 1e-15, 'ours');
  const base = cmp.find((r) => r.method === 'original' && r.metric === 'segm/AP-person')!;
  assert.equal(base.region, 'none');
  assert.equal(base.ours!.status, 'baseline');
  assert.ok(Number.isNaN(base.paper!.relativePct));
  assert.equal(cmp.filter((r) => r.ours!.status === 'pending').length, 27 - 4);
  assert.equal(cmp.find((r) => r.method === 'original' && r.metric === 'segm/AP50')!.ours!.status, 'pending');

  const md = renderCompareMarkdown(cmp);
  const lines = md.split('\n');
  assert.equal(lines[0], '| Region | Method | Metric | Paper | Ours | Paper rel. | Ours rel. |');
  assert.equal(lines[2], '|  | Original | AP | 36.7 ± 0.1 (Δ) | 36.7 ± 0.1 (Δ) |  |  |');
  assert.ok(lines.includes('| Face | Blur | AP | 36.4 ± 0.2 (-0.3) | 36.4 ± 0.2 (-0.3) | -0.82% | -0.82% |'), md);
  assert.ok(lines.includes('| Body | Realistic + HM-LO | AP person | 21.5 ± 0.1 (-13.5) | pending | -38.57% |  |'), md);
});

test('our rows the paper lacks are shown with an empty paper side; units converted', () => {
  const data = [...SMALL, ...rows('pixelate', 'face', 'segm/AP', [30, 31, 32])];
  const cmp = compareWithReference(aggregate(data), ref, { table: 'hukkelas2023-main-T1' });
  const pix = cmp.find((r) => r.method === 'pixelate')!;
  assert.equal(pix.paper, null);
  assert.match(renderCompareMarkdown(cmp), /\| Face \| Pixelation \| AP \| — \| 31\.0 ± 0\.6 \(-5\.7\) \|/);

  // DNAT prints fractions: compared with our percent values they are scaled by 100
  const dnat = compareWithReference(aggregate(SMALL), ref, { table: 'dnat-whitepaper-T2' });
  const person = dnat.find((r) => r.method === 'original' && r.metric === 'segm/AP-person')!;
  close(person.paper!.mean, 30.9, 1e-12, 'fraction -> percent');
  close(person.paper!.sd, 0.2, 1e-12, 'sd scaled too');
  assert.equal(person.ours!.status, 'baseline');
  // our face/realistic stands for the whitepaper's face+plate/dnat when aliased
  const data2 = [...SMALL, ...rows('realistic', 'face', 'segm/AP-person', [31, 31.2, 30.8])];
  const plain = compareWithReference(aggregate(data2), ref, { table: 'dnat-whitepaper-T2' });
  assert.equal(plain.find((r) => r.method === 'dnat' && r.metric === 'segm/AP-person')!.ours!.status, 'pending');
  assert.ok(plain.some((r) => r.method === 'realistic' && r.paper === null));
  const aliased = compareWithReference(aggregate(data2), ref, { table: 'dnat-whitepaper-T2', aliases: [{ region: 'face', method: 'realistic', paper: { region: 'face+plate', method: 'dnat' } }] });
  const dnatPerson = aliased.find((r) => r.method === 'dnat' && r.metric === 'segm/AP-person')!;
  close(dnatPerson.paper!.mean, 31.0, 1e-12, 'paper 0.310 in percent');
  close(dnatPerson.ours!.mean, 31.0, 1e-12, 'ours');
  assert.ok(!aliased.some((r) => r.method === 'realistic'));
  const asFraction = compareWithReference(aggregate(SMALL), ref, { table: 'hukkelas2023-main-T1', oursUnit: 'fraction' });
  close(asFraction[0]!.paper!.mean, 0.367, 1e-12, 'percent -> fraction');
});

test('ours rel. is n/a with a footnote where our original is too small to divide by', () => {
  const data = [...rows('original', 'none', 'segm/AP-person', [0.2, 0.3, 0.1]), ...rows('blur', 'face', 'segm/AP-person', [0.5, 0.6, 0.4])];
  const md = renderCompareMarkdown(compareWithReference(aggregate(data), ref, { table: 'hukkelas2023-main-T1' }));
  assert.ok(md.includes('| Face | Blur | AP person | 34.9 ± 0.1 (-0.1) | 0.5 ± 0.1 (0.3) | -0.29% | n/a † |'), md);
  assert.match(md, /† Relative change left out: the original's mean is below 1 point/);
  assert.doesNotMatch(renderCompareMarkdown(compareWithReference(aggregate(SMALL), ref, { table: 'hukkelas2023-main-T1' })), /†/);
});

test('several groups of ours: the table\'s own dataset and task are chosen, or the caller names one', () => {
  const coco = rows('original', 'none', 'bbox/AP', [55.7], { dataset: 'coco', task: 'keypoints' });
  const data = [...SMALL, ...coco];
  const t3 = compareWithReference(aggregate(data), ref, { table: 'hukkelas2023-main-T3' });
  assert.equal(t3.find((r) => r.method === 'original' && r.metric === 'bbox/AP')!.ours!.mean, 55.7);
  const synth = [...SMALL.map((r) => ({ ...r, dataset: 'synth' })), ...coco.map((r) => ({ ...r, dataset: 'synth2' }))];
  assert.throws(() => compareWithReference(aggregate(synth), ref, { table: 'hukkelas2023-main-T1' }), /2 \(dataset, task, depth\) groups/);
  const named = compareWithReference(aggregate(synth), ref, { table: 'hukkelas2023-main-T1', dataset: 'synth' });
  assert.equal(named.filter((r) => r.ours!.status !== 'pending').length, 4);
  assert.throws(() => compareWithReference([], ref, { table: 'nope' }), /no reference table 'nope'/);
});
