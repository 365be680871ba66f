// OKS as pycocotools COCOeval.computeOks defines it; goldens written out from that definition:
//   var_k = (2 sigma_k)^2, e_k = d_k^2 / var_k / (area + eps) / 2, OKS = mean over labelled k of exp(-e_k)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeOks } from '../../lib/eval/oks.ts';
import { COCO_KPT_OKS_SIGMAS } from '../../lib/eval/coco-params.ts';

const EPS = 2.220446049250313e-16;
const kp = (pts: Record<number, [number, number, number]>) => Float64Array.from(Array.from({ length: 17 }, (_, k) => pts[k] ?? [0, 0, 0]).flat());
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-15, `expected ${b}, got ${a}`);

test('COCO sigmas are the published constants / 10', () => {
  assert.equal(COCO_KPT_OKS_SIGMAS.length, 17);
  assert.equal(COCO_KPT_OKS_SIGMAS[0], 0.26 / 10); // nose
  assert.equal(COCO_KPT_OKS_SIGMAS[11], 1.07 / 10); // left hip
  assert.equal(COCO_KPT_OKS_SIGMAS[16], 0.89 / 10); // right ankle
});

test('one labelled keypoint: OKS = exp(-d^2 / (2 sigma)^2 / (area + eps) / 2)', () => {
  // nose (sigma 0.026) off by (3, 4): d^2 = 25; area 10000
  // e = 25 / 0.052^2 / 10000 / 2 = 0.46227811; OKS = exp(-e) = 0.62985
  const gt = kp({ 0: [50, 50, 2] });
  const dt = kp({ 0: [53, 54, 0], 5: [999, 999, 1] }); // detected keypoints unlabelled in the gt do not count
  const o = computeOks(dt, gt, Float64Array.of(0, 0, 100, 100), Float64Array.of(10000), COCO_KPT_OKS_SIGMAS);
  const e = 25 / (0.026 * 2) ** 2 / (10000 + EPS) / 2;
  near(o[0], Math.exp(-e));
  assert.ok(Math.abs(o[0] - 0.62985) < 1e-5);
});

test('several labelled keypoints: the mean over the labelled ones only (v > 0, occluded included)', () => {
  // nose exact (exp 0 = 1); left shoulder (k = 5, sigma 0.079, v = 1) off by 10 px: e = 100 / 0.158^2 / 2000 / 2
  const gt = kp({ 0: [20, 20, 2], 5: [40, 60, 1] });
  const dt = kp({ 0: [20, 20, 1], 5: [50, 60, 1] });
  const o = computeOks(dt, gt, Float64Array.of(0, 0, 40, 50), Float64Array.of(2000), COCO_KPT_OKS_SIGMAS);
  near(o[0], (1 + Math.exp(-(100 / (0.079 * 2) ** 2 / (2000 + EPS) / 2))) / 2);
});

test('a gt without labelled keypoints: distance to its doubled box, averaged over all 17 keypoints', () => {
  // gt bbox [100, 100, 10, 20] -> x0 = 100 - 10 = 90, x1 = 100 + 20 = 120, y0 = 100 - 20 = 80, y1 = 100 + 40 = 140
  // all detected keypoints at (85, 150): dx = 90 - 85 = 5, dy = 150 - 140 = 10, d^2 = 125
  const gt = kp({});
  const box = Float64Array.of(100, 100, 10, 20);
  const far = Float64Array.from(Array.from({ length: 17 }, () => [85, 150, 1]).flat());
  const inside = Float64Array.from(Array.from({ length: 17 }, () => [110, 130, 1]).flat());
  const o = computeOks(Float64Array.from([...far, ...inside]), gt, box, Float64Array.of(200), COCO_KPT_OKS_SIGMAS);
  let sum = 0;
  for (const s of COCO_KPT_OKS_SIGMAS) sum += Math.exp(-(125 / (s * 2) ** 2 / (200 + EPS) / 2));
  near(o[0], sum / 17);
  assert.equal(o[1], 1); // inside the doubled box: every distance 0
});

test('output is row-major detections x ground truths', () => {
  const g0 = kp({ 0: [10, 10, 2] });
  const g1 = kp({ 0: [100, 100, 2] });
  const d0 = kp({ 0: [100, 100, 1] });
  const o = computeOks(d0, Float64Array.from([...g0, ...g1]), Float64Array.of(0, 0, 20, 20, 90, 90, 20, 20), Float64Array.of(400, 400), COCO_KPT_OKS_SIGMAS);
  assert.equal(o.length, 2);
  assert.equal(o[1], 1);
  assert.ok(o[0] < 1e-100);
});
