import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { aggregate } from '../../lib/report/aggregate.ts';
import { parseBoxSizesCsv } from '../../lib/report/box-sizes-csv.ts';
import { figureSet } from '../../lib/report/figure-set.ts';
import { compareWithReference } from '../../lib/report/compare.ts';
import { boxSizeCdfFigure, compareFigure, depthFigure, differenceFigure, relativeIouHeatmap, type FigureSpec } from '../../lib/report/figures.ts';
import { readReference } from '../../lib/report/reference.ts';
import { close } from '../stats/close.ts';
import { EXPECTED, rows, SMALL } from './fixtures.ts';

const ref = await readReference(fileURLToPath(new URL('../../results/reference', import.meta.url)));

/** Specs are plain JSON: no NaN, undefined or functions survive a round trip differently. */
function assertJson(spec: FigureSpec): void {
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
}

test('difference figure: bars per region over methods, Δ with bootstrap-interval error bars, pending labelled, paper overlay', () => {
  const agg = aggregate(SMALL, { expected: EXPECTED });
  const spec = differenceFigure(agg, {
    dataset: 'cityscapes',
    task: 'instance-segmentation',
    metric: 'segm/AP',
    reference: ref.filter((r) => r.table === 'hukkelas2023-main-T1'),
    referenceName: 'paper',
  });
  assertJson(spec);
  assert.equal(spec.layout.barmode, 'group');
  const [face, body, paperFace, paperBody] = spec.data as Record<string, any>[];
  assert.equal(spec.data.length, 4);
  assert.deepEqual([face!.type, face!.name, body!.name], ['bar', 'Face', 'Body']);
  assert.deepEqual(face!.x, ['Blur', 'Mask-out', 'Realistic']);
  close(face!.y[0], -0.3, 1e-12, 'face blur Δ');
  assert.deepEqual(face!.y.slice(1), [null, null]);
  // error bars: the aggregate's 95% bootstrap interval of Δ, asymmetric, inside the range of
  // possible resampled differences (min 36.1 - 36.8 = -0.7, max 36.7 - 36.6 = 0.1)
  const ci = agg.find((r) => r.method === 'blur' && r.metric === 'segm/AP')!.deltaCi!;
  assert.ok(-0.7 - 1e-9 <= ci.low && ci.low < -0.3 && -0.3 < ci.high && ci.high <= 0.1 + 1e-9, `interval [${ci.low}, ${ci.high}]`);
  assert.equal(face!.error_y.symmetric, false);
  close(face!.error_y.array[0], ci.high - face!.y[0], 1e-12, 'upper arm');
  close(face!.error_y.arrayminus[0], face!.y[0] - ci.low, 1e-12, 'lower arm');
  assert.deepEqual(face!.error_y.array.slice(1), [null, null], 'no interval without runs');
  assert.match((spec.layout as Record<string, any>).yaxis.title.text, /^Δ Segm\. AP, percentage points<br>\(error bars: 95% bootstrap interval\)$/);
  assert.deepEqual(face!.text, ['', 'pending', '']);
  assert.deepEqual(body!.y, [null, null, null]);
  assert.deepEqual(body!.text, ['', '', 'pending']);
  // the paper's printed Δ of Table 1 at the same places
  assert.deepEqual([paperFace!.type, paperFace!.name, paperFace!.y], ['scatter', 'paper: Face', [-0.3, 0, -0.1]]);
  assert.deepEqual(paperBody!.y, [-5.3, -5.5, -2.1]);
});

test('relative IoU heatmap: classes x methods, 100·(IoU - IoU_original)/IoU_original, centred at 0', () => {
  const data = [
    ...rows('original', 'none', 'sem_seg/IoU-person', [50, 70]),
    ...rows('original', 'none', 'sem_seg/IoU-car', [80, 80]),
    ...rows('original', 'none', 'sem_seg/mIoU', [70, 70]),
    ...rows('blur', 'face', 'sem_seg/IoU-person', [54, 60]),
    ...rows('blur', 'face', 'sem_seg/IoU-car', [80, 80]),
    ...rows('cropout', 'face', 'sem_seg/IoU-person', [60, 60]),
  ].map((r) => ({ ...r, task: 'semantic-segmentation' }));
  const agg = aggregate(data);
  const spec = relativeIouHeatmap(agg, { dataset: 'cityscapes', task: 'semantic-segmentation' })!;
  assertJson(spec);
  const h = spec.data[0] as Record<string, any>;
  assert.equal(h.type, 'heatmap');
  assert.deepEqual(h.x, ['Blur', 'Crop-out']);
  assert.deepEqual(h.y, ['person', 'car']);
  // IoU in percent, as the grids record it; person: blur mean 57 vs 60 -> -5%; crop-out 0.6 vs 0.6 -> 0; car: blur 0; crop-out has no car IoU (pending)
  close(h.z[0][0], -5, 1e-12, 'blur person');
  assert.equal(h.z[0][1], 0);
  assert.equal(h.z[1][0], 0);
  assert.equal(h.z[1][1], null);
  assert.equal(h.zmid, 0);
  close(h.zmax, 5, 1e-12, 'symmetric range');
  assert.equal(relativeIouHeatmap(aggregate(SMALL), { dataset: 'cityscapes', task: 'instance-segmentation' }), null);
});

test('box-size CDF from the data stats CSV: a step line per dataset from 0 to 1', () => {
  const csv = 'dataset,split,category,relative_length,area_fraction,cdf\ncityscapes,train,person,0.05,0.0025,0.25\ncityscapes,train,person,0.1,0.01,0.75\ncityscapes,train,person,0.3,0.09,1\ncoco,val,person,0.5,0.25,1\n';
  const spec = boxSizeCdfFigure(parseBoxSizesCsv(csv, 'b.csv'));
  assertJson(spec);
  const [cs, coco] = spec.data as Record<string, any>[];
  assert.deepEqual([cs!.name, cs!.line.shape], ['cityscapes', 'hv']);
  assert.deepEqual(cs!.x, [0, 0.05, 0.1, 0.3, 1]);
  assert.deepEqual(cs!.y, [0, 0.25, 0.75, 1, 1]);
  assert.deepEqual(coco!.x, [0, 0.5, 1]);
  assert.throws(() => parseBoxSizesCsv('dataset,split\n', 'b.csv'), /b\.csv: line 1: header: expected 'dataset,split,category,relative_length,area_fraction,cdf'/);
  assert.throws(() => parseBoxSizesCsv(csv.replace('0.75', '1.5'), 'b.csv'), /b\.csv: line 3: cdf: expected a number in \[0, 1\], got '1.5'/);
});

test('depth figure: relative drop per method against ResNet depth', () => {
  const data = [50, 101, 152].flatMap((d, i) => [
    ...rows('original', 'none', 'keypoints/AP', [60, 60], { runId: '' }).map((r) => ({ ...r, runId: `o${d}-${r.seed}` })),
    ...rows('original', 'none', 'backbone_depth', [d, d]).map((r) => ({ ...r, runId: `o${d}-${r.seed}` })),
    ...rows('realistic', 'face', 'keypoints/AP', [57 - 3 * i, 57 - 3 * i]).map((r) => ({ ...r, runId: `r${d}-${r.seed}` })),
    ...rows('realistic', 'face', 'backbone_depth', [d, d]).map((r) => ({ ...r, runId: `r${d}-${r.seed}` })),
  ]);
  const agg = aggregate(data);
  const spec = depthFigure(agg, { metric: 'keypoints/AP' })!;
  assertJson(spec);
  const [line] = spec.data as Record<string, any>[];
  assert.equal(spec.data.length, 1);
  assert.deepEqual(line!.x, [50, 101, 152]);
  // drops 3, 6, 9 of 60: 5%, 10%, 15%
  line!.y.forEach((v: number, i: number) => close(v, [5, 10, 15][i]!, 1e-12, `drop at ${line!.x[i]}`));
  assert.deepEqual((spec.layout.xaxis as Record<string, unknown>).ticktext, ['ResNet-50', 'ResNet-101', 'ResNet-152']);
  assert.equal(depthFigure(aggregate(SMALL), { metric: 'segm/AP' }), null);
  // the figure set draws it, and a difference figure per depth
  const names = figureSet(agg).map((f) => f.name);
  assert.deepEqual(names, [
    'difference-cityscapes-instance-segmentation-r50-keypoints_AP',
    'difference-cityscapes-instance-segmentation-r101-keypoints_AP',
    'difference-cityscapes-instance-segmentation-r152-keypoints_AP',
    'depth-keypoints_AP',
  ]);
});

test('figure set: the figures that apply, the reference table of the same dataset and task chosen', () => {
  const agg = aggregate([...SMALL, ...rows('original', 'none', 'sem_seg/IoU-person', [0.5]), ...rows('blur', 'face', 'sem_seg/IoU-person', [0.4])]);
  const set = figureSet(agg, {
    reference: ref,
    boxSizes: [{ dataset: 'd', split: 's', category: 'person', relativeLength: 0.1, areaFraction: 0.01, cdf: 1 }],
  });
  assert.deepEqual(set.map((f) => f.name), [
    'difference-cityscapes-instance-segmentation-segm_AP',
    'relative-iou-cityscapes-instance-segmentation',
    'box-size-cdf',
  ]);
  // cityscapes / instance-segmentation matches main T1, supp T1, main T4 and the DNAT table; supp T1 and main T1
  // match our cells equally often and main T1 comes first
  const overlay = (set[0]!.spec.data as Record<string, any>[]).find((t) => t.type === 'scatter')!;
  assert.equal(overlay.name, 'hukkelas2023-main-T1: Face');
  // metrics chosen by hand, per-class included
  assert.deepEqual(figureSet(agg, { metrics: ['segm/AP-person'] }).map((f) => f.name), ['difference-cityscapes-instance-segmentation-segm_AP-person', 'relative-iou-cityscapes-instance-segmentation']);
});

test('paper vs ours: relative change per method, both sides; ours left out (n/a) where our original is too small', async () => {
  const ref = await readReference(fileURLToPath(new URL('../../results/reference', import.meta.url)));
  const spec = compareFigure(compareWithReference(aggregate(SMALL), ref, { table: 'hukkelas2023-main-T1' }), 'segm/AP-person')!;
  assertJson(spec);
  const [paper, ours] = spec.data as Record<string, any>[];
  assert.deepEqual(paper.x, ['Face Blur']);
  // paper: face blur 34.9 vs 35.0 -> -0.29%; ours: 34.9 vs 35.0 -> -0.29%
  close(paper.y[0], (100 * -0.1) / 35.0, 1e-9, 'paper');
  close(ours.y[0], (100 * (34.9 - 35.0)) / 35.0, 1e-9, 'ours');
  assert.match((spec.layout as Record<string, any>).yaxis.title.text, /^100 · Δ \/ original Segm\. AP person \(%\)$/);
  const tiny = [...rows('original', 'none', 'segm/AP-person', [0.2, 0.3, 0.1]), ...rows('blur', 'face', 'segm/AP-person', [0.5, 0.6, 0.4])];
  const t = compareFigure(compareWithReference(aggregate(tiny), ref, { table: 'hukkelas2023-main-T1' }), 'segm/AP-person')!;
  assert.deepEqual([(t.data[1] as Record<string, any>).y, (t.data[1] as Record<string, any>).text], [[null], ['n/a']]);
  assert.equal(compareFigure([], 'segm/AP'), null);
});
