// Relative IoU change (IoU_anonymized - IoU_original) / IoU_original, Zhou & Beyerer, Table 1.
// Golden values by hand from the 6x2 fixture of cityscapes-pixel.test.ts (its hand-worked IoUs)
// against a perfect prediction (IoU 1 on every present class).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePixelLevel, pixelResultToJson } from '../../lib/eval/cityscapes-pixel.ts';
import { relativeChange, relativeIouChange } from '../../lib/eval/relative-iou.ts';

const close = (a: number, b: number, msg: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} != ${b}`);

const W = 6;
const H = 2;
const GT = [7, 7, 7, 8, 8, 0, 26, 26, 26, 24, 24, 1];
const PRED = [7, 7, 8, 8, 0, 7, 26, 26, 7, 24, 25, 26];
const INST = [7, 7, 7, 8, 8, 0, 26000, 26000, 26001, 24000, 24000, 1];

test('relativeChange and its NaN rules', () => {
  close(relativeChange(0.8, 0.792), -0.01, 'a 1% loss');
  close(relativeChange(0.5, 0.55), 0.1, 'a 10% gain');
  assert.equal(relativeChange(0.7, 0.7), 0);
  assert.ok(Number.isNaN(relativeChange(NaN, 0.5))); // class absent in the original evaluation
  assert.ok(Number.isNaN(relativeChange(0.5, NaN)));
  assert.ok(Number.isNaN(relativeChange(0, 0.3))); // relative to a zero IoU: undefined
});

test('per class, per category and mean IoU changes between two evaluations', () => {
  const original = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: GT, instanceIds: INST }]);
  const anonymized = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: PRED, instanceIds: INST }]);
  const r = relativeIouChange(original, anonymized);
  // IoUs 1 -> 1/2, 1/3, 2/3, 1/2
  close(r.classes.road, -0.5, 'road');
  close(r.classes.sidewalk, -2 / 3, 'sidewalk');
  close(r.classes.car, -1 / 3, 'car');
  close(r.classes.person, -0.5, 'person');
  // rider: NaN in the original (absent from ground truth and prediction), 0 after: NaN
  assert.ok(Number.isNaN(r.classes.rider));
  assert.equal(Object.keys(r.classes).length, 19);
  assert.ok(!('unlabeled' in r.classes));
  close(r.categories.flat, 4 / 6 - 1, 'flat');
  assert.equal(r.categories.human, 0);
  close(r.categories.vehicle, -1 / 3, 'vehicle');
  assert.ok(Number.isNaN(r.categories.construction));
  assert.deepEqual(Object.keys(r.categories), ['flat', 'construction', 'object', 'nature', 'sky', 'human', 'vehicle']);
  // class means 1 -> 0.4 (the anonymized mean includes rider's 0)
  close(r.mIoU, -0.6, 'mIoU');
  close(r.mIoUCategories, (4 / 6 + 1 + 2 / 3) / 3 - 1, 'category mIoU');
  close(r.meanOfClassChanges, (-0.5 - 2 / 3 - 1 / 3 - 0.5) / 4, 'mean of class changes');
  // the JSON forms (null for NaN) give the same
  const rj = relativeIouChange(pixelResultToJson(original), pixelResultToJson(anonymized));
  assert.deepEqual(rj, r);
});

test('a missing score is an error naming it', () => {
  const res = evaluatePixelLevel([{ width: W, height: H, gt: GT, pred: GT, instanceIds: INST }]);
  const broken = { ...res, classScores: { ...res.classScores } };
  delete (broken.classScores as Record<string, number>).sky;
  assert.throws(() => relativeIouChange(res, broken), /anonymized classScores: no score for 'sky'/);
});
