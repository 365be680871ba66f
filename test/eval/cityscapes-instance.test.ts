// Golden values worked out by hand from evalInstanceLevelSemanticLabeling.py's definitions
// (assignGt2Preds, evaluateMatches, computeAverages): the precision/recall points at each
// distinct score, the artificial point (recall 0, precision 1), step widths
// 0.5 * (r[j-1] - r[j+1]) and their dot product with the precisions. The hand results of the
// AP helper were also checked with numpy running those integration steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage16 } from '../../lib/data/image.ts';
import { encode } from '../../lib/data/masks/encode.ts';
import {
  averagePrecision,
  CityscapesInstanceEvaluator,
  formatInstanceTable,
  instanceResultToJson,
  OVERLAPS,
  readPredictionText,
  type InstancePrediction,
} from '../../lib/eval/cityscapes-instance.ts';
import { run } from '../../lib/cli/eval-cityscapes.ts';
import { writeGrey16, writeGrey8 } from './png-fixtures.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const mini = resolve(repoRoot, '..', 'shared', 'data', 'cityscapes-mini', 'gtFine', 'val', 'frankfurt');
const close = (a: number, b: number, msg: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} != ${b}`);

const W = 40;
const H = 10;
/** A W x H map filled with `fill`, then rectangles [x0, x1) x [y0, y1) set to values. */
function map(fill: number, rects: Array<[number, number, number, number, number]>): Uint16Array {
  const m = new Uint16Array(W * H).fill(fill);
  for (const [x0, x1, y0, y1, v] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * W + x] = v;
  return m;
}
/** Row-major mask of the rectangles [x0, x1) x [y0, y1) (all rows when y is omitted). */
function mask(...rects: Array<[number, number, number?, number?]>): Uint8Array {
  const m = new Uint8Array(W * H);
  for (const [x0, x1, y0 = 0, y1 = H] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * W + x] = 1;
  return m;
}
const CAR = 26;
const PERSON = 24;

function evalOne(instanceIds: Uint16Array, preds: InstancePrediction[]) {
  const ev = new CityscapesInstanceEvaluator();
  ev.addImage({ width: W, height: H, instanceIds }, preds);
  return ev.result();
}

test('overlap thresholds are numpy arange(0.5, 1.0, 0.05) value for value', () => {
  assert.deepEqual([...OVERLAPS], [0.5, 0.55, 0.6000000000000001, 0.6500000000000001, 0.7000000000000002, 0.7500000000000002, 0.8000000000000003, 0.8500000000000003, 0.9000000000000004, 0.9500000000000004]);
});

test('AP integration: no precision envelope, artificial point at precision 1', () => {
  assert.equal(averagePrecision([1], [0.9], 0), 1);
  // points (p, r): (0.5, 0.5), (1, 0.5), artificial (1, 0); widths 0, 0.25, 0.25
  assert.equal(averagePrecision([1, 0], [0.9, 0.8], 1), 0.5);
  // a false positive above the only true positive: (0.5, 1), (0, 0), (1, 0); widths 0.5, 0.5, 0
  assert.equal(averagePrecision([0, 1], [0.9, 0.8], 0), 0.25); // an envelope would give 0.5
  // one distinct score: (0.5, 1) and the artificial (1, 0), widths 0.5 and 0.5
  assert.equal(averagePrecision([1, 0], [0.7, 0.7], 0), 0.75);
  close(averagePrecision([1, 1, 0, 1, 0, 0, 1], [0.9, 0.3, 0.8, 0.6, 0.6, 0.2, 0.5], 2), 0.4472222222222222, 'ties and hard false negatives');
});

test('matching is strict: IoU exactly 0.5 is no match at 0.5, 0.55 matches at 0.5 only', () => {
  const gt = map(7, [[0, 20, 0, H, 26000]]); // one car of 200 px on road
  const at50 = evalOne(gt, [{ labelId: CAR, score: 0.9, mask: mask([0, 10]) }]); // 100 px: IoU 100/200
  assert.equal(at50.classes.car['ap50%'], 0); // unmatched: a false positive and a missed car
  assert.equal(at50.classes.car.ap, 0);
  const at55 = evalOne(gt, [{ labelId: CAR, score: 0.9, mask: mask([0, 11]) }]); // 110 px: IoU 0.55
  assert.equal(at55.classes.car['ap50%'], 1);
  close(at55.classes.car.ap, 0.1, 'ap'); // 0.55 > 0.55 is false: AP 1 at 0.5 only
  assert.ok(Number.isNaN(at55.classes.person.ap)); // no person in the ground truth
  close(at55.averages.allAp, 0.1, 'allAp'); // nanmean: the other classes are NaN
  assert.equal(at55.averages['allAp50%'], 1);
});

test('ground truth regions under 100 px are not to be found, and predictions on them are ignored while they overlap enough', () => {
  // person 24000: 99 px (a 10x10 block less one pixel), person 24001: 150 px
  const gt = map(7, [[0, 10, 0, H, 24000], [0, 1, 0, 1, 7], [20, 35, 0, H, 24001]]);
  const big: InstancePrediction = { labelId: PERSON, score: 0.9, mask: mask([20, 35]) };
  // exactly on the small region: matched to it (IoU 1), never a false positive
  assert.equal(evalOne(gt, [big, { labelId: PERSON, score: 0.95, mask: mask([0, 10]) }]).classes.person.ap, 1);
  // the small region's 99 px + 50 road px: IoU 99/149 = 0.664 with the small region -> not a false
  // positive up to t = 0.65; from t = 0.7 its ignored share 99/149 <= t: a false positive scored
  // above the true positive, AP 0.25 (points (0.5, 1), (0, 0), (1, 0))
  const r = evalOne(gt, [big, { labelId: PERSON, score: 0.95, mask: mask([0, 15]) }]);
  assert.equal(r.classes.person['ap50%'], 1);
  close(r.classes.person.ap, (4 * 1 + 6 * 0.25) / 10, 'person ap');
  // only the small region: nothing to find, AP NaN even with predictions
  const small = map(7, [[0, 10, 0, H, 24000], [0, 1, 0, 1, 7]]);
  assert.ok(Number.isNaN(evalOne(small, [{ labelId: PERSON, score: 0.95, mask: mask([0, 15]) }]).classes.person.ap));
});

test('group regions (id < 1000) and void pixels: a prediction mostly on them is no false positive', () => {
  // car group (value 26) 200 px, car 26000 100 px, road 100 px
  const gt = map(7, [[0, 20, 0, H, 26], [20, 30, 0, H, 26000]]);
  const car: InstancePrediction = { labelId: CAR, score: 0.9, mask: mask([20, 30]) };
  // 100 px on the group + 60 on road: ignored share 100/160 = 0.625 > t for t < 0.65
  const r = evalOne(gt, [car, { labelId: CAR, score: 0.95, mask: mask([0, 10], [30, 36]) }]);
  assert.equal(r.classes.car['ap50%'], 1);
  close(r.classes.car.ap, (3 * 1 + 7 * 0.25) / 10, 'group');
  // a group region is not an instance to find: the group alone gives no AP
  assert.ok(Number.isNaN(evalOne(map(7, [[0, 20, 0, H, 26]]), [car]).classes.car.ap));
  // void (ego vehicle, id 1) instead of the group: 120 void px + 40 road px, share 0.75,
  // ignored for t <= 0.7000000000000002 (5 thresholds), a false positive from 0.7500000000000002
  const gv = map(7, [[0, 20, 0, H, 1], [20, 30, 0, H, 26000]]);
  const rv = evalOne(gv, [car, { labelId: CAR, score: 0.95, mask: mask([0, 12], [30, 34]) }]);
  close(rv.classes.car.ap, (5 * 1 + 5 * 0.25) / 10, 'void');
});

test('a second match of one instance is a false positive; unmatched instances are hard false negatives', () => {
  const ev = new CityscapesInstanceEvaluator();
  // cars 26000 and 26001 (150 px each); 26000 found twice (0.9 exact, 0.8 with 140 px), 26001 missed
  const gt1 = map(7, [[0, 15, 0, H, 26000], [20, 35, 0, H, 26001]]);
  ev.addImage({ width: W, height: H, instanceIds: gt1 }, [
    { labelId: CAR, score: 0.9, mask: mask([0, 15]) },
    { labelId: CAR, score: 0.8, mask: mask([0, 14]) },
  ]);
  // second image: a bus nobody predicts, a truck nobody annotated, and a rider prediction
  // given as a COCO RLE (column-major runs)
  const gt2 = map(7, [[0, 20, 0, H, 28000]]);
  ev.addImage({ width: W, height: H, instanceIds: gt2 }, [
    { labelId: 27, score: 0.7, mask: mask([25, 31]) },
    { labelId: 25, score: 0.6, mask: encode(mask([25, 31]), H, W) },
    { labelId: 7, score: 0.99, mask: mask([0, 40]) }, // road: not an instance class, skipped
    { labelId: CAR, score: 0.99, mask: new Uint8Array(W * H) }, // empty: skipped
  ]);
  const r = ev.result();
  // every threshold: TP 0.9, FP 0.8, one hard FN: points (0.5, 0.5), (1, 0.5), (1, 0)
  assert.equal(r.classes.car.ap, 0.5);
  assert.equal(r.classes.car['ap50%'], 0.5);
  assert.equal(r.classes.bus.ap, 0); // ground truth without predictions
  assert.ok(Number.isNaN(r.classes.truck.ap)); // predictions without ground truth
  assert.ok(Number.isNaN(r.classes.rider.ap));
  close(r.averages.allAp, 0.25, 'allAp');
  close(r.averages['allAp50%'], 0.25, 'allAp50%');
  assert.deepEqual(r.apMatrix[r.instLabels.indexOf('car')], Array(10).fill(0.5));
  const j = instanceResultToJson(r);
  assert.deepEqual(Object.keys(j), ['averages', 'classes']);
  assert.deepEqual(Object.keys(j.classes), ['person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle']);
  assert.deepEqual(j.classes.truck, { ap: null, 'ap50%': null });
  assert.match(formatInstanceTable(r), /^car {12}: {10}0\.500 {10}0\.500$/m);
});

test('RLE and row-major masks give the same result', () => {
  const gt = map(7, [[0, 15, 0, H, 26000], [3, 9, 2, 6, 1]]);
  const m = mask([0, 14, 0, 9], [30, 33, 4, 10]);
  const a = evalOne(gt, [{ labelId: CAR, score: 0.5, mask: m }]);
  const b = evalOne(gt, [{ labelId: CAR, score: 0.5, mask: encode(m, H, W) }]);
  assert.deepEqual(a.apMatrix, b.apMatrix);
  assert.throws(() => evalOne(gt, [{ labelId: CAR, score: 0.5, mask: encode(m.subarray(0, W * 9), 9, W), name: 'm9' }]), /m9: mask is 40x9/);
  assert.throws(() => evalOne(gt, [{ labelId: 99, score: 0.5, mask: m, name: 'bad' }]), /bad: 99 is not a Cityscapes label id/);
});

test('prediction text files: relative paths inside the prediction folder, label id int(float), confidence float', async (t) => {
  const root = await tempDir(t, 'cs-txt-');
  await mkdir(join(root, 'sub'), { recursive: true });
  const txt = join(root, 'sub', 'a_000000_000000_pred.txt');
  await writeFile(txt, 'm/1.png 26.0 0.9\r\nm/2.png 24 1e-1\n\nm/1.png 25 0.3\n');
  const lines = await readPredictionText(txt, root);
  assert.deepEqual(lines, [
    { maskFile: join(root, 'sub', 'm', '1.png'), labelId: 25, confidence: 0.3 }, // first position, later values
    { maskFile: join(root, 'sub', 'm', '2.png'), labelId: 24, confidence: 0.1 },
  ]);
  await writeFile(txt, 'm/1.png 26\n');
  await assert.rejects(readPredictionText(txt, root), /line 1: expected 'relPathPrediction labelIDPrediction confidencePrediction'/);
  await writeFile(txt, '/abs/1.png 26 0.5\n');
  await assert.rejects(readPredictionText(txt, root), /must be relative/);
  await writeFile(txt, '../../x.png 26 0.5\n');
  await assert.rejects(readPredictionText(txt, root), /points outside of the prediction folder/);
  await writeFile(txt, 'm/1.png car 0.5\n');
  await assert.rejects(readPredictionText(txt, root), /label id 'car' is not a number/);
});

async function captureRun(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(' '));
  try {
    return { code: await run(argv), out: lines.join('\n') };
  } finally {
    console.log = orig;
  }
}

test('CLI run(): instance ids and prediction text files found recursively', async (ctx) => {
  const root = await tempDir(ctx, 'cs-inst-');
  const gtDir = join(root, 'gtFine');
  const predDir = join(root, 'results');
  await writeGrey16(join(gtDir, 'val', 'x', 'x_000000_000001_gtFine_instanceIds.png'), W, H, map(7, [[0, 20, 0, H, 26000]]));
  await writeGrey8(join(predDir, 'masks', 'x_000000_000001_0.png'), W, H, Uint8Array.from(mask([0, 11]), (v) => v * 255));
  await writeFile(join(predDir, 'x_000000_000001_pred.txt'), 'masks/x_000000_000001_0.png 26 0.9\n');
  const { code, out } = await captureRun(['cityscapes-instance', '--gt', gtDir, '--pred', predDir, '--json']);
  assert.equal(code, 0);
  const j = JSON.parse(out);
  close(j.averages.allAp, 0.1, 'allAp');
  assert.equal(j.averages['allAp50%'], 1);
  assert.equal(j.classes.person.ap, null);
  const t = await captureRun(['cityscapes-instance', '--gt', gtDir, '--pred', predDir]);
  assert.match(t.out, /^average {8}: {10}0\.100 {10}1\.000$/m);
  if (existsSync(join(repoRoot, 'lib', 'cli', 'eval.ts')) && readFileSync(join(repoRoot, 'lib', 'cli.ts'), 'utf8').includes("'./cli/eval.ts'")) {
    const s = spawnSync(process.execPath, [join(repoRoot, 'bin', 'anon-impact.js'), 'eval', 'cityscapes-instance', '--gt', gtDir, '--pred', predDir, '--json'], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    close(JSON.parse(s.stdout).averages.allAp, 0.1, 'allAp (spawned)');
  }
});

test('cityscapes-mini: ground truth instances as predictions, and a car cut in half', async (t) => {
  if (!existsSync(mini)) {
    t.skip(`../shared/data not found: ${mini}`);
    return;
  }
  const inst = await decodeImage16(join(mini, 'frankfurt_000000_000294_gtFine_instanceIds.png'));
  const { width: w, height: h, data } = inst;
  const maskOf = (v: number, keep: (i: number) => boolean = () => true) => Uint8Array.from(data, (x, i) => (x === v && keep(i) ? 1 : 0));
  const ids = [24000, 24001, 24002, 24003, 26000, 26001, 26002];
  const ev = new CityscapesInstanceEvaluator();
  ev.addImage({ width: w, height: h, instanceIds: data }, ids.map((v) => ({ labelId: Math.trunc(v / 1000), score: 1, mask: maskOf(v) })));
  const r = ev.result();
  // persons (6, 42, 27, 32 px) are all under 100 px: nothing to find; cars 26001 (224) and 26002
  // (1572) found exactly, the 6 px car's prediction is matched to it and ignored
  assert.ok(Number.isNaN(r.classes.person.ap));
  assert.equal(r.classes.car.ap, 1);
  assert.equal(r.averages.allAp, 1);
  // left half of car 26002 (x <= middle of its extent: 855 of 1572 px, IoU 0.544) scored 0.9,
  // car 26001 exact at 0.8: at t = 0.5 both match (AP 1); from 0.55 the half car is a false
  // positive above the true positive and 26002 is missed: points (0.5, 0.5), (0, 0), (1, 0) -> 0.125
  let xmin = Infinity;
  let xmax = -Infinity;
  data.forEach((v, i) => {
    if (v === 26002) {
      xmin = Math.min(xmin, i % w);
      xmax = Math.max(xmax, i % w);
    }
  });
  const mid = Math.floor((xmin + xmax) / 2);
  const half = maskOf(26002, (i) => i % w <= mid);
  assert.equal(half.reduce((a, b) => a + b, 0), 855);
  const ev2 = new CityscapesInstanceEvaluator();
  ev2.addImage({ width: w, height: h, instanceIds: data }, [
    { labelId: CAR, score: 0.9, mask: half },
    { labelId: CAR, score: 0.8, mask: maskOf(26001) },
  ]);
  const r2 = ev2.result();
  assert.equal(r2.classes.car['ap50%'], 1);
  close(r2.classes.car.ap, (1 + 9 * 0.125) / 10, 'car ap');
});
