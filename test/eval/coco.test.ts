// End-to-end COCO evaluation on the real COCO val2017 sample in ../shared/data/coco-mini
// (mmpose's tests/data/coco: 4 images, 14 persons with keypoints and polygon masks, and 118
// person detections test_coco_det_AP_H_56.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { segmentationToRle, toJson } from '../../lib/data/masks/index.ts';
import { evaluateCocoFiles, evaluateCocoJson } from '../../lib/eval/coco.ts';

const dir = fileURLToPath(new URL('../../../shared/data/coco-mini/', import.meta.url));
const GT_FILE = `${dir}test_coco.json`;
const DET_FILE = `${dir}test_coco_det_AP_H_56.json`;
const have = existsSync(GT_FILE) && existsSync(DET_FILE);
const SKIP = `../shared/data not found: ${dir} (test_coco.json, test_coco_det_AP_H_56.json)`;

const closeAll = (a: number[], b: number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `stats[${i}]: expected ${b[i]}, got ${v}`));
};

interface Ann {
  id: number;
  image_id: number;
  category_id: number;
  bbox: number[];
  keypoints: number[];
  num_keypoints: number;
  segmentation: unknown;
}
const load = () => JSON.parse(readFileSync(GT_FILE, 'utf8')) as { images: { id: number; height: number; width: number }[]; annotations: Ann[] };

test('coco-mini bbox: the 118 person detections against the 14 persons', async (t) => {
  if (!have) return t.skip(SKIP);
  const s = await evaluateCocoFiles(GT_FILE, DET_FILE, 'bbox');
  // Golden: a line-by-line numpy transcription of pycocotools' loadRes / COCOeval (evaluate,
  // accumulate, summarize) run on these two files (numpy 2.4; pycocotools itself is not
  // installable here). The summary it prints: 0.789 0.982 0.982 0.650 0.767 0.872 / 0.279 0.829 0.843 0.650 0.820 0.914
  closeAll(s.stats, [
    0.7891214003991492, 0.9823982398239822, 0.9823982398239822, 0.6504950495049505, 0.7666195190947667, 0.872169532742748, 0.2785714285714286,
    0.8285714285714286, 0.8428571428571429, 0.65, 0.82, 0.9142857142857143,
  ]);
  assert.ok(Math.abs(s.perCategory.person! - 78.91214003991493) < 1e-10);
  assert.equal(s.lines[0], ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.789');
});

test('coco-mini keypoints: mmpose CocoMetric golden (test_topdown_alignment, case 1)', (t) => {
  if (!have) return t.skip(SKIP);
  // mmpose tests/test_evaluation/test_metrics/test_coco_metric.py, test_topdown_alignment case 1:
  // predictions are the gt keypoints in float32 with x * 0.98, y * 1.02, keypoint scores v * 0.8,
  // bbox score 0.98; score_mode 'bbox_keypoint' (score = bbox score * mean of the keypoint scores
  // above 0.2, in float32), OKS-NMS at 0.9 (keeps all here; the kept order is argsort(score)
  // reversed, so ties come in descending id order). Its expected stats follow. (mmpose evaluates
  // with xtcocotools, which also drops detections without any visible keypoint; here those are
  // the two persons with no keypoints, score 0, ranked last, so pycocotools gives the same numbers.)
  const gt = load();
  const f = Math.fround;
  const byImg = new Map<number, { id: number; image_id: number; keypoints: number[]; score: number }[]>();
  for (const a of gt.annotations) {
    const kps: number[] = [];
    let sum = 0;
    let n = 0;
    for (let k = 0; k < 17; k++) {
      const s = f(f(a.keypoints[3 * k + 2]) * f(0.8));
      kps.push(f(f(a.keypoints[3 * k]) * f(0.98)), f(f(a.keypoints[3 * k + 1]) * f(1.02)), s);
      if (s > 0.2) {
        sum = f(sum + s);
        n++;
      }
    }
    const score = f(f(0.98) * (n > 0 ? f(sum / n) : 0));
    const list = byImg.get(a.image_id) ?? [];
    list.push({ id: a.id, image_id: a.image_id, keypoints: kps, score });
    byImg.set(a.image_id, list);
  }
  const results: unknown[] = [];
  for (const list of byImg.values()) {
    list.sort((a, b) => a.id - b.id);
    const order = list.map((_, i) => i).sort((i, j) => list[i].score - list[j].score || i - j).reverse();
    for (const i of order) results.push({ image_id: list[i].image_id, category_id: 1, keypoints: list[i].keypoints, score: list[i].score });
  }
  const s = evaluateCocoJson(gt, results, 'keypoints');
  closeAll(s.stats, [
    0.5287458745874587, 0.9042904290429042, 0.5009900990099009, 0.42475247524752474, 0.6219554455445544, 0.5833333333333333, 0.9166666666666666,
    0.5833333333333334, 0.44000000000000006, 0.6857142857142857,
  ]);
});

test('coco-mini perfect detection (the ground truth as results, score 1) gives AP 1 for bbox, segm and keypoints', (t) => {
  if (!have) return t.skip(SKIP);
  const gt = load();
  const size = new Map(gt.images.map((im) => [im.id, im]));
  const base = (a: Ann) => ({ image_id: a.image_id, category_id: a.category_id, score: 1 });
  const bbox = gt.annotations.map((a) => ({ ...base(a), bbox: a.bbox }));
  const segm = gt.annotations.map((a) => {
    const im = size.get(a.image_id)!;
    return { ...base(a), segmentation: toJson(segmentationToRle(a.segmentation, im.height, im.width)) };
  });
  // persons with num_keypoints == 0 are ignored gts; a keypoint detector reports nothing for them
  const kps = gt.annotations.filter((a) => a.num_keypoints > 0).map((a) => ({ ...base(a), keypoints: a.keypoints }));
  for (const [type, res] of [
    ['bbox', bbox],
    ['segm', segm],
    ['keypoints', kps],
  ] as const) {
    const s = evaluateCocoJson(gt, res, type);
    // AP, AP50, AP75 = 1 (to the eps in pycocotools' precision); per category 100
    closeAll(s.stats.slice(0, 3), [1, 1, 1]);
    assert.ok(Math.abs(s.perCategory.person! - 100) < 1e-9, `${type}: ${s.perCategory.person}`);
    // every person found: AR@100 (bbox, segm) / AR@20 (keypoints) = 1
    closeAll([s.stats[type === 'keypoints' ? 5 : 8]], [1]);
  }
});
