// Golden values worked out by hand from evalPixelLevelSemanticLabeling.py's definitions
// (getIouScoreForLabel, getInstanceIouScoreForLabel, getIouScoreForCategory,
// getInstanceIouScoreForCategory, getScoreAverage); the cityscapes-mini numbers were computed
// with numpy from the same definitions (an independent script written for the purpose).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labelByTrainId } from '../../lib/data/cityscapes-labels.ts';
import { decodeImage, decodeImage16 } from '../../lib/data/image.ts';
import { AVG_CLASS_SIZE, CityscapesPixelEvaluator, evaluatePixelLevel, formatPixelTable, pixelResultFromJson, pixelResultToJson } from '../../lib/eval/cityscapes-pixel.ts';
import { readLabelMap } from '../../lib/eval/label-image.ts';
import { run } from '../../lib/cli/eval-cityscapes.ts';
import { writeGrey16, writeGrey8, writePalette } from './png-fixtures.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const mini = resolve(repoRoot, '..', 'shared', 'data', 'cityscapes-mini', 'gtFine', 'val', 'frankfurt');
const miniBase = join(mini, 'frankfurt_000000_000294_gtFine_');

/** Whether `anon-impact eval` exists: lib/cli/eval.ts and its line in lib/cli.ts. */
const evalCommandExists = () => existsSync(join(repoRoot, 'lib', 'cli', 'eval.ts')) && readFileSync(join(repoRoot, 'lib', 'cli.ts'), 'utf8').includes("'./cli/eval.ts'");
const close = (a: number, b: number, msg: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} != ${b}`);
const A = AVG_CLASS_SIZE.car;

// 6x2 fixture. Ground truth (labelIds):    Prediction (labelIds):
//   road road road sidewalk sidewalk unlabeled      road road sidewalk sidewalk unlabeled(0) road
//   car  car  car  person   person   ego vehicle    car  car  road     person   rider        car
// instanceIds: the cars are 26000 (2 px) and 26001 (1 px), the persons 24000 (2 px).
const W = 6;
const H = 2;
const GT = [7, 7, 7, 8, 8, 0, 26, 26, 26, 24, 24, 1];
const PRED = [7, 7, 8, 8, 0, 7, 26, 26, 7, 24, 25, 26];
const INST = [7, 7, 7, 8, 8, 0, 26000, 26000, 26001, 24000, 24000, 1];

test('class IoU: void ground truth pixels are no false positives, ignored predicted ids are misses', () => {
  const r = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: PRED, instanceIds: INST }]);
  // road: TP 2, FN 1 (-> sidewalk), FP 1 (car -> road); the unlabeled pixel predicted road is not counted
  close(r.classScores.road, 2 / 4, 'road');
  // sidewalk: TP 1, FN 1 (predicted id 0, an ignored label), FP 1 (road -> sidewalk)
  close(r.classScores.sidewalk, 1 / 3, 'sidewalk');
  // car: TP 2, FN 1, FP 0 (the ego-vehicle pixel predicted car has an ignored ground truth)
  close(r.classScores.car, 2 / 3, 'car');
  close(r.classScores.person, 1 / 2, 'person');
  // rider: absent from the ground truth, predicted once: 0, not NaN
  assert.equal(r.classScores.rider, 0);
  // absent from ground truth and prediction: NaN; ignored labels: NaN
  assert.ok(Number.isNaN(r.classScores.building));
  assert.ok(Number.isNaN(r.classScores.unlabeled));
  assert.ok(Number.isNaN(r.classScores.caravan));
  assert.equal(Object.keys(r.classScores).length, 34); // every label with id >= 0, as the script writes them
  assert.ok(!('license plate' in r.classScores));
  // NaN classes left out: (1/2 + 1/3 + 2/3 + 1/2 + 0) / 5
  close(r.averageScoreClasses, 0.4, 'averageScoreClasses');
});

test('category IoU over the evaluated labels of each category', () => {
  const r = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: PRED, instanceIds: INST }]);
  // flat = road + sidewalk: TP 2+1+1 = 4, FN 1 (sidewalk -> 0), FP 1 (car -> road)
  close(r.categoryScores.flat, 4 / 6, 'flat');
  // human: person -> rider stays inside the category
  assert.equal(r.categoryScores.human, 1);
  close(r.categoryScores.vehicle, 2 / 3, 'vehicle');
  for (const c of ['void', 'construction', 'object', 'nature', 'sky']) assert.ok(Number.isNaN(r.categoryScores[c]), c);
  assert.deepEqual(Object.keys(r.categoryScores), ['void', 'flat', 'construction', 'object', 'nature', 'sky', 'human', 'vehicle']);
  close(r.averageScoreCategories, (4 / 6 + 1 + 2 / 3) / 3, 'averageScoreCategories');
});

test('iIoU weights every instance by avgClassSize / its size', () => {
  const r = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: PRED, instanceIds: INST }]);
  // car 26000 (2 px, both hit): TPw = 2 * A/2 = A; car 26001 (1 px, missed): FNw = A; FP 0
  close(r.classInstScores.car, 0.5, 'car iIoU'); // while the plain IoU is 2/3
  close(r.classInstScores.person, 0.5, 'person iIoU');
  assert.equal(r.classInstScores.rider, 0); // no instance, one false positive pixel
  assert.ok(Number.isNaN(r.classInstScores.truck));
  assert.ok(Number.isNaN(r.classInstScores.road)); // no instances: NaN
  close(r.averageScoreInstClasses, 1 / 3, 'averageScoreInstClasses');
  // categories: the person pixel predicted rider is a category hit
  assert.equal(r.categoryInstScores.human, 1);
  close(r.categoryInstScores.vehicle, 0.5, 'vehicle iIoU');
  assert.ok(Number.isNaN(r.categoryInstScores.flat));
  close(r.averageScoreInstCategories, 0.75, 'averageScoreInstCategories');
});

test('iIoU with false positives, accumulated over two images one at a time', () => {
  const ev = new CityscapesPixelEvaluator();
  // image 1: car instance 26000 of 3 px, 2 hit, 1 predicted unlabeled; a road pixel predicted car
  ev.addPair({ width: 4, height: 1, gt: [26, 26, 26, 7], pred: [26, 26, 0, 26], instanceIds: [26000, 26000, 26000, 7] });
  // image 2: car instance 26001 of 1 px missed (predicted road), a road pixel right
  ev.addPair({ width: 2, height: 1, gt: [26, 7], pred: [7, 7], instanceIds: [26001, 7] });
  const r = ev.result();
  close(r.classScores.car, 2 / 5, 'car IoU'); // TP 2, FN 2, FP 1
  close(r.classScores.road, 1 / 3, 'road IoU'); // TP 1, FN 1, FP 1
  // TPw = 2 * A/3, FNw = A/3 + A, FP = 1
  close(r.classInstScores.car, (2 * A) / 3 / ((2 * A) / 3 + 1 + (4 * A) / 3), 'car iIoU');
  // caravan instances are ignored in iIoU; a caravan prediction is a vehicle-category hit for iIoU only
  const ev2 = new CityscapesPixelEvaluator();
  ev2.addPair({ width: 3, height: 1, gt: [26, 26, 29], pred: [29, 26, 29], instanceIds: [26000, 26000, 29000] });
  const r2 = ev2.result();
  close(r2.categoryScores.vehicle, 1 / 2, 'vehicle IoU'); // caravan is not an evaluated label: a miss
  assert.equal(r2.categoryInstScores.vehicle, 1);
  close(r2.classInstScores.car, 0.5, 'car iIoU');
});

test('bad ids are errors naming the file', () => {
  const ev = new CityscapesPixelEvaluator();
  assert.throws(() => ev.addPair({ width: 1, height: 1, gt: [34], pred: [7], instanceIds: [7], gtName: 'g.png' }), /g\.png: unknown label id 34/);
  assert.throws(() => ev.addPair({ width: 1, height: 1, gt: [7], pred: [255], instanceIds: [7], predName: 'p.png' }), /p\.png: predicted value 255 .*trainIds/);
  assert.throws(() => ev.addPair({ width: 2, height: 1, gt: [7, 7], pred: [7], instanceIds: [7, 7], predName: 'p.png' }), /p\.png: size differs/);
  assert.throws(() => ev.result(), /no image pairs/);
});

test('JSON form: the 8 keys of the script, NaN as null, and back', () => {
  const r = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: PRED, instanceIds: INST }]);
  const j = JSON.parse(JSON.stringify(pixelResultToJson(r)));
  assert.deepEqual(Object.keys(j), ['classScores', 'classInstScores', 'categoryScores', 'categoryInstScores', 'averageScoreClasses', 'averageScoreInstClasses', 'averageScoreCategories', 'averageScoreInstCategories']);
  assert.equal(j.classScores.building, null);
  assert.equal(j.classScores.road, 0.5);
  const back = pixelResultFromJson(j);
  assert.ok(Number.isNaN(back.classScores.building));
  assert.equal(back.averageScoreClasses, r.averageScoreClasses);
  const table = formatPixelTable(r);
  assert.match(table, /^road {10}: 0\.500 {6}nan$/m);
  assert.match(table, /^car {11}: 0\.667 {4}0\.500$/m);
  assert.match(table, /^Score Average : 0\.400 {4}0\.333$/m);
  assert.doesNotMatch(table, /unlabeled|void/);
});

async function writeFixture(t: TestContext): Promise<{ gtDir: string; predDir: string; root: string }> {
  const root = await tempDir(t, 'cs-pixel-');
  const gtDir = join(root, 'gtFine');
  const predDir = join(root, 'results');
  await writeGrey8(join(gtDir, 'val', 'aachen', 'aachen_000001_000019_gtFine_labelIds.png'), W, H, GT);
  await writeGrey16(join(gtDir, 'val', 'aachen', 'aachen_000001_000019_gtFine_instanceIds.png'), W, H, INST);
  // the prediction as a palette PNG (indices are the label ids), deep in a sub-folder
  await writePalette(join(predDir, 'deep', 'er', 'aachen_000001_000019_leftImg8bit_pred.png'), W, H, PRED);
  return { gtDir, predDir, root };
}

async function captureRun(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(' '));
  try {
    const code = await run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = orig;
  }
}

test('label maps: grey values and palette indices are read as stored', async (t) => {
  const { gtDir, predDir } = await writeFixture(t);
  const gt = await readLabelMap(join(gtDir, 'val', 'aachen', 'aachen_000001_000019_gtFine_labelIds.png'));
  assert.deepEqual([...gt.data], GT);
  const pred = await readLabelMap(join(predDir, 'deep', 'er', 'aachen_000001_000019_leftImg8bit_pred.png'));
  assert.deepEqual([...pred.data], PRED);
});

test('CLI run(): finds ground truth and predictions recursively and prints the 8 keys', async (ctx) => {
  const { gtDir, predDir } = await writeFixture(ctx);
  const outFile = join(gtDir, '..', 'out', 'result.json');
  const { code, out } = await captureRun(['cityscapes-pixel', '--gt', gtDir, '--pred', predDir, '--json', '--out', outFile]);
  assert.equal(code, 0);
  const j = JSON.parse(out);
  assert.deepEqual(JSON.parse(await readFile(outFile, 'utf8')), j);
  assert.equal(Object.keys(j).length, 8);
  assert.equal(j.classScores.road, 0.5);
  close(j.averageScoreClasses, 0.4, 'averageScoreClasses');
  close(j.averageScoreInstCategories, 0.75, 'averageScoreInstCategories');
  const t = await captureRun(['cityscapes-pixel', '--gt', gtDir, '--pred', predDir]);
  assert.match(t.out, /Score Average : 0\.400/);
});

test('CLI run(): a ground truth with no prediction or with two is an error naming it', async (t) => {
  const { gtDir, predDir, root } = await writeFixture(t);
  await writeGrey8(join(gtDir, 'val', 'bonn', 'bonn_000000_000000_gtFine_labelIds.png'), W, H, GT);
  await writeGrey16(join(gtDir, 'val', 'bonn', 'bonn_000000_000000_gtFine_instanceIds.png'), W, H, INST);
  await assert.rejects(run(['cityscapes-pixel', '--gt', gtDir, '--pred', predDir, '--json']), /no prediction for ground truth .*bonn_000000_000000_gtFine_labelIds\.png/);
  const gt2 = join(root, 'gt2');
  await mkdir(gt2, { recursive: true });
  await copyFile(join(gtDir, 'val', 'aachen', 'aachen_000001_000019_gtFine_labelIds.png'), join(gt2, 'aachen_000001_000019_gtFine_labelIds.png'));
  await copyFile(join(gtDir, 'val', 'aachen', 'aachen_000001_000019_gtFine_instanceIds.png'), join(gt2, 'aachen_000001_000019_gtFine_instanceIds.png'));
  await writeGrey8(join(predDir, 'aachen_000001_000019_other.png'), W, H, PRED);
  await assert.rejects(run(['cityscapes-pixel', '--gt', gt2, '--pred', predDir, '--json']), /multiple predictions for ground truth .*aachen_000001_000019_gtFine_labelIds\.png/);
});

test('CLI through bin/anon-impact.js eval cityscapes-pixel', async (t) => {
  if (!evalCommandExists()) {
    t.skip('no `eval` command in lib/cli.ts (lib/cli/eval.ts dispatcher) yet: nothing to spawn through');
    return;
  }
  const { gtDir, predDir } = await writeFixture(t);
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'anon-impact.js'), 'eval', 'cityscapes-pixel', '--gt', gtDir, '--pred', predDir, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['classScores', 'classInstScores', 'categoryScores', 'categoryInstScores', 'averageScoreClasses', 'averageScoreInstClasses', 'averageScoreCategories', 'averageScoreInstCategories']);
  close(j.averageScoreClasses, 0.4, 'averageScoreClasses');
  assert.equal(j.classScores.building, null);
});

// ---- the real Cityscapes frame in ../shared/data/cityscapes-mini ----

const EVAL_PRESENT = ['road', 'sidewalk', 'building', 'fence', 'pole', 'traffic sign', 'vegetation', 'sky', 'person', 'car'];

async function loadMini() {
  const gt = await decodeImage(miniBase + 'labelIds.png', 1);
  const train = await decodeImage(miniBase + 'labelTrainIds.png', 1);
  const inst = await decodeImage16(miniBase + 'instanceIds.png');
  return { gt, train, inst };
}

test('cityscapes-mini: the ground truth as prediction scores 1 on present classes, NaN elsewhere', async (t) => {
  if (!existsSync(mini)) {
    t.skip(`../shared/data not found: ${mini}`);
    return;
  }
  const root = await tempDir(t, 'cs-mini-');
  await copyFile(miniBase + 'labelIds.png', join(root, 'frankfurt_000000_000294_pred.png'));
  const { code, out } = await captureRun(['cityscapes-pixel', '--gt', resolve(mini, '..', '..'), '--pred', root, '--json']);
  assert.equal(code, 0);
  const j = JSON.parse(out);
  for (const [name, v] of Object.entries(j.classScores)) assert.equal(v, EVAL_PRESENT.includes(name) ? 1 : null, name);
  for (const [name, v] of Object.entries(j.classInstScores)) assert.equal(v, name === 'person' || name === 'car' ? 1 : null, name);
  for (const [name, v] of Object.entries(j.categoryScores)) assert.equal(v, name === 'void' ? null : 1, name);
  assert.deepEqual(j.categoryInstScores, { void: null, flat: null, construction: null, object: null, nature: null, sky: null, human: 1, vehicle: 1 });
  assert.equal(j.averageScoreClasses, 1);
  assert.equal(j.averageScoreInstClasses, 1);
});

test('cityscapes-mini: labelTrainIds mapped back to label ids as prediction', async (t) => {
  if (!existsSync(mini)) {
    t.skip(`../shared/data not found: ${mini}`);
    return;
  }
  const { gt, train, inst } = await loadMini();
  const pred = Uint8Array.from(train.data, (v) => labelByTrainId(v)!.id); // 255 -> 'unlabeled' (0)
  const r = evaluatePixelLevel([{ width: gt.width, height: gt.height, gt: gt.data, pred, instanceIds: inst.data }]);
  // numpy from the script's definitions (the two label images were downscaled separately, so they differ)
  const want: Record<string, number> = {
    road: 0.9979470334633546,
    sidewalk: 0.9916698220371072,
    building: 0.9978056426332288,
    fence: 0.9772727272727273,
    pole: 0.9800995024875622,
    'traffic sign': 0.9790575916230366,
    vegetation: 0.9924924924924925,
    sky: 0.9761499148211243,
    person: 0.9722222222222222,
    car: 0.9950138504155125,
  };
  for (const [name, v] of Object.entries(r.classScores)) {
    if (name in want) close(v, want[name], name);
    else assert.ok(Number.isNaN(v), name);
  }
  close(r.classInstScores.person, 0.982857275817101, 'person iIoU');
  close(r.classInstScores.car, 0.9986496793976495, 'car iIoU');
  close(r.categoryScores.flat, 0.9990297542043984, 'flat');
  close(r.categoryScores.construction, 0.9977350827866291, 'construction');
  close(r.categoryScores.object, 0.9831081081081081, 'object');
  close(r.averageScoreClasses, 0.9859730799468368, 'averageScoreClasses');
  close(r.averageScoreInstClasses, 0.9907534776073752, 'averageScoreInstClasses');
  close(r.averageScoreCategories, 0.9879644892929268, 'averageScoreCategories');
  close(r.averageScoreInstCategories, 0.9907534776073752, 'averageScoreInstCategories');
});

test('cityscapes-mini: perturbed copy (persons as riders, left half of car 26002 as truck)', async (t) => {
  if (!existsSync(mini)) {
    t.skip(`../shared/data not found: ${mini}`);
    return;
  }
  const { gt, inst } = await loadMini();
  const w = gt.width;
  let xmin = Infinity;
  let xmax = -Infinity;
  inst.data.forEach((v, i) => {
    if (v === 26002) {
      xmin = Math.min(xmin, i % w);
      xmax = Math.max(xmax, i % w);
    }
  });
  const mid = Math.floor((xmin + xmax) / 2);
  const pred = Uint8Array.from(gt.data, (v, i) => (v === 24 ? 25 : inst.data[i] === 26002 && i % w <= mid ? 27 : v));
  const r = evaluatePixelLevel([{ width: w, height: gt.height, gt: gt.data, pred, instanceIds: inst.data }]);
  // 855 of the 1802 car pixels become truck: car IoU 947/1802; person 0 and rider 0 (false positives only)
  close(r.classScores.car, 0.525527192008879, 'car');
  assert.equal(r.classScores.person, 0);
  assert.equal(r.classScores.rider, 0);
  assert.equal(r.classScores.truck, 0);
  // car iIoU: instances of 6, 224 and 1572 px; TPw = A + A + 717/1572 A, FNw = 855/1572 A, FP 0
  close(r.classInstScores.car, 0.818702290076336, 'car iIoU');
  assert.equal(r.categoryScores.human, 1);
  assert.equal(r.categoryScores.vehicle, 1);
  close(r.averageScoreClasses, 0.7104605993340732, 'averageScoreClasses');
  close(r.averageScoreInstClasses, 0.204675572519084, 'averageScoreInstClasses');
  assert.equal(r.averageScoreCategories, 1);
});
