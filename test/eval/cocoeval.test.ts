// COCOeval semantics on small constructed problems. Every golden is worked out by hand from
// pycocotools' cocoeval.py (evaluateImg / accumulate / summarize); the arithmetic is in the
// comments. Boxes are [x, y, w, h]; a detection equal to its gt box has IoU 1 at every threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCocoJson } from '../../lib/eval/coco.ts';
import { greedyMatch, precisionIndex, recallIndex } from '../../lib/eval/cocoeval.ts';
import type { CocoSummary } from '../../lib/eval/coco.ts';
import { encode, toJson } from '../../lib/data/masks/index.ts';

type Box = [number, number, number, number];

// pycocotools' precision is tp / (tp + fp + eps) with eps = np.spacing(1) = 2^-52, so a first
// true positive has precision 1 / (1 + 2^-52) = 1 - 2^-52, not 1 (with tp >= 2 the eps rounds away).
const EPS = 2.220446049250313e-16;
const P1 = 1 / (1 + EPS); // 0.9999999999999998

/** Means of many values are compared to 1e-12; single precision entries exactly. */
function close(actual: number, expected: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what} expected ${expected}, got ${actual}`);
}
function closeAll(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => close(v, expected[i], `[${i}]`));
}
interface G {
  img?: number;
  cat?: number;
  box: Box;
  area?: number;
  crowd?: 0 | 1;
  id?: number;
  extra?: Record<string, unknown>;
}
interface D {
  img?: number;
  cat?: number;
  box: Box;
  score: number;
}

function problem(gts: G[], dts: D[], opts: { images?: number[]; cats?: { id: number; name: string }[] } = {}) {
  const images = (opts.images ?? [1]).map((id) => ({ id, height: 500, width: 500 }));
  const categories = opts.cats ?? [{ id: 1, name: 'thing' }];
  const annotations = gts.map((g, i) => ({
    id: g.id ?? i + 1,
    image_id: g.img ?? 1,
    category_id: g.cat ?? 1,
    bbox: g.box,
    area: g.area ?? g.box[2] * g.box[3],
    iscrowd: g.crowd ?? 0,
    ...g.extra,
  }));
  const results = dts.map((d) => ({ image_id: d.img ?? 1, category_id: d.cat ?? 1, bbox: d.box, score: d.score }));
  return { gt: { images, categories, annotations }, results };
}

function bbox(gts: G[], dts: D[], opts?: Parameters<typeof problem>[2]): CocoSummary {
  const p = problem(gts, dts, opts);
  return evaluateCocoJson(p.gt, p.results, 'bbox');
}

/** precision[t, r, k=0, a=0 (all), m=last] */
function prec(s: CocoSummary, t: number, r: number, k = 0, a = 0): number {
  const c = s.eval.counts;
  return s.eval.precision[precisionIndex(c, t, r, k, a, c[4] - 1)];
}

test('101-point interpolation reads the right-to-left precision envelope at np.searchsorted(rc, recThrs, left)', () => {
  // 3 gts, 4 detections by score: TP, FP, TP, TP (npig = 3).
  //   tp = 1,1,2,3  fp = 0,1,1,1  rc = 1/3, 1/3, 2/3, 1  pr = 1, 1/2, 2/3, 3/4
  //   (pr[0] is really 1 / (1 + eps) = P1; 2 / (3 + eps) = 2/3 and 3 / (4 + eps) = 3/4 exactly)
  //   envelope from the right: P1, 3/4, 3/4, 3/4
  //   r = 0..33  (r/100 <= 1/3)      -> index 0 -> P1     (34 points)
  //   r = 34..66 (1/3 < r/100 <= 2/3) -> index 2 -> 3/4    (33 points; without the envelope 2/3)
  //   r = 67..100                     -> index 3 -> 3/4    (34 points)
  //   AP = (34 * P1 + 67 * 0.75) / 101 ~ 84.25 / 101 at every IoU threshold (IoUs are 1 or 0)
  const s = bbox(
    [{ box: [0, 0, 100, 100] }, { box: [200, 0, 100, 100] }, { box: [0, 200, 100, 100] }],
    [
      { box: [0, 0, 100, 100], score: 0.9 },
      { box: [400, 400, 50, 50], score: 0.8 },
      { box: [200, 0, 100, 100], score: 0.7 },
      { box: [0, 200, 100, 100], score: 0.6 },
    ],
  );
  assert.equal(prec(s, 0, 0), P1);
  assert.equal(prec(s, 0, 33), P1);
  assert.equal(prec(s, 0, 34), 0.75);
  assert.equal(prec(s, 9, 66), 0.75);
  assert.equal(prec(s, 9, 67), 0.75);
  assert.equal(prec(s, 0, 100), 0.75);
  const ap = (34 * P1 + 67 * 0.75) / 101;
  close(s.stats[0], ap);
  close(s.stats[1], ap);
  // gt areas 10000 > 96^2: all large; no small or medium gt -> -1. In 'large' the FP (50x50 =
  // 2500 px, unmatched, out of range) is ignored: TP, TP, TP -> precision P1, 1, 1 -> AP ~ 1.
  close(s.stats[5], 1);
  assert.equal(s.stats[3], -1);
  assert.equal(s.stats[4], -1);
  // AR@1: only the 0.9 detection per image -> 1 of 3; AR@10 and AR@100: 3 of 3
  close(s.stats[6], 1 / 3);
  assert.equal(s.stats[7], 1);
  assert.equal(s.stats[8], 1);
  close(s.perCategory.thing!, ap * 100);
});

test('recall thresholds past the last recall read 0, and a missed gt caps recall', () => {
  // image 1: gt + TP (0.9); image 2: no gt, FP (0.95); image 3: gt, no detection.
  // Sorted: FP(0.95), TP(0.9); npig = 2: rc = 0, 1/2; pr = 0, 1/2 -> envelope 1/2, 1/2
  // r = 0 -> index 0 -> 1/2; r = 1..50 -> index 1 -> 1/2; r = 51..100 -> past the end -> 0
  // AP = 51 * 0.5 / 101 = 25.5 / 101; recall = 1/2
  const s = bbox(
    [
      { img: 1, box: [0, 0, 50, 50] },
      { img: 3, box: [0, 0, 50, 50] },
    ],
    [
      { img: 1, box: [0, 0, 50, 50], score: 0.9 },
      { img: 2, box: [0, 0, 50, 50], score: 0.95 },
    ],
    { images: [1, 2, 3] },
  );
  assert.equal(prec(s, 0, 50), 0.5);
  assert.equal(prec(s, 0, 51), 0);
  assert.equal(s.stats[0], 25.5 / 101);
  assert.equal(s.stats[8], 0.5);
  const c = s.eval.counts;
  assert.equal(s.eval.recall[recallIndex(c, 0, 0, 0, 2)], 0.5);
});

test('score ties keep file order within an image and image-id order across images (stable sorts)', () => {
  // One gt; two detections of equal score 0.5: an FP and a TP.
  // FP first: rc = 0, 1; pr = 0, 1/2 -> envelope 1/2, 1/2 -> every r reads 1/2 -> AP 0.5
  // TP first: rc = 1, 1; pr = P1, 1/2 -> envelope P1, 1/2 -> every r reads index 0 -> AP P1 ~ 1
  const gt: G[] = [{ box: [0, 0, 50, 50] }];
  const fp: D = { box: [300, 300, 50, 50], score: 0.5 };
  const tp: D = { box: [0, 0, 50, 50], score: 0.5 };
  assert.equal(bbox(gt, [fp, tp]).stats[0], 0.5);
  close(bbox(gt, [tp, fp]).stats[0], 1);
  // Across images the concatenation is in ascending image id, whatever the results order:
  // FP in image 1 and TP (with the gt) in image 2 -> FP first -> 0.5; the other way round -> 1.
  const across = (fpImg: number, tpImg: number) =>
    bbox([{ img: tpImg, box: [0, 0, 50, 50] }], [{ ...tp, img: tpImg }, { ...fp, img: fpImg }], { images: [1, 2] }).stats[0];
  assert.equal(across(1, 2), 0.5);
  close(across(2, 1), 1);
});

test('a crowd gt is matched by several detections, with IoU = intersection / detection area', () => {
  // Regular gt R = [0,0,10,10]; crowd gt C = [20,0,100,100] (ignored: iscrowd).
  // d1 (0.9) = [10,0,20,20]: overlaps C on x 20..30 -> 10 * 20 = 200 px; crowd IoU = 200 / 400
  //   = 0.5 (a plain IoU would be 200 / (400 + 10000 - 200) = 0.0196); no overlap with R.
  // d2 (0.8) = [50,50,10,10] inside C: crowd IoU 100 / 100 = 1 -> matched to C -> ignored.
  // d3 (0.7) = R exactly -> TP.
  // t = 0.5: d1 -> C (0.5 >= 0.5), d2 -> C again, both ignored; d3 TP -> AP P1 ~ 1.
  // t >= 0.55: d1 unmatched -> FP (area 400 in 'all'); d2 ignored; d3 TP:
  //   rc = 0, 1; pr = 0, 1/2 -> AP 1/2.
  // AP@[.5:.95] = (1 + 9 * 0.5) / 10 = 0.55; AP50 = 1; AP75 = 0.5.
  // (If C could be matched only once, d2 would be an FP at t = 0.5 and AP50 would be 1/2.)
  const s = bbox(
    [{ box: [0, 0, 10, 10] }, { box: [20, 0, 100, 100], crowd: 1 }],
    [
      { box: [10, 0, 20, 20], score: 0.9 },
      { box: [50, 50, 10, 10], score: 0.8 },
      { box: [0, 0, 10, 10], score: 0.7 },
    ],
  );
  close(s.stats[1], 1);
  assert.equal(s.stats[2], 0.5);
  close(s.stats[0], 0.55);
});

test('a detection matched to a regular gt stops at the first ignored gt, even one of higher IoU', () => {
  // R = [0,0,10,10] regular; C = [0,0,10,20] crowd (ignored, sorted after R).
  // d = [0,0,10,16]: IoU with R = 100 / 160 = 0.625; crowd IoU with C = 160 / 160 = 1.
  // t = .5, .55, .6: R qualifies (0.625 >= t) and the scan breaks at C -> TP -> AP P1 ~ 1.
  // t = .65 .. .95: R does not qualify, C does -> matched to an ignored gt -> ignored; no TP -> AP 0.
  // AP = 3 / 10 = 0.3; AP50 = 1; AP75 = 0. AR@100 = 0.3 likewise.
  const s = bbox([{ box: [0, 0, 10, 10] }, { box: [0, 0, 10, 20], crowd: 1 }], [{ box: [0, 0, 10, 16], score: 0.9 }]);
  close(s.stats[0], 0.3);
  close(s.stats[1], 1);
  assert.equal(s.stats[2], 0);
  assert.equal(s.stats[8], 0.3);
});

test('greedyMatch: best IoU wins among unmatched gts; a matched regular gt is skipped; the threshold is min(t, 1 - 1e-10)', () => {
  // 2 dets x 2 gts (both regular): d0 = [0.6, 0.8], d1 = [0.7, 0.9]
  // t = 0.5: d0 takes g1 (0.8 > 0.6); d1 cannot take g1 again -> g0 (0.7).
  const dtMatch = new Int32Array(2);
  greedyMatch([0.6, 0.8, 0.7, 0.9], 2, 2, [0, 0], [0, 0], 0.5, dtMatch, new Uint8Array(2));
  assert.deepEqual([...dtMatch], [1, 0]);
  // With g1 a crowd gt, d1 takes it again (0.9 > 0.7).
  greedyMatch([0.6, 0.8, 0.7, 0.9], 2, 2, [0, 0], [0, 1], 0.5, dtMatch, new Uint8Array(2));
  assert.deepEqual([...dtMatch], [1, 1]);
  // An IoU of exactly 1 matches at a threshold of 1 (the threshold becomes 1 - 1e-10) ...
  greedyMatch([1], 1, 1, [0], [0], 1, dtMatch, new Uint8Array(1));
  assert.equal(dtMatch[0], 0);
  // ... and an IoU equal to the threshold matches (the test is iou < t -> skip).
  greedyMatch([0.75], 1, 1, [0], [0], 0.75, dtMatch, new Uint8Array(1));
  assert.equal(dtMatch[0], 0);
});

test('a category without gt has AP -1 (null per category); one without detections has AP 0', () => {
  // cat 1 'a': gt + exact detection -> AP P1 ~ 1. cat 2 'b': only a detection -> npig = 0 -> -1.
  // cat 3 'c': a gt and no detection -> rc, pr empty -> precision 0 everywhere, recall 0.
  // stats[0] = mean over entries > -1 = (101 * 10 ones + 101 * 10 zeros) / 2020 = 0.5
  const s = bbox(
    [
      { cat: 1, box: [0, 0, 40, 40] },
      { cat: 3, box: [100, 100, 40, 40] },
    ],
    [
      { cat: 1, box: [0, 0, 40, 40], score: 0.9 },
      { cat: 2, box: [0, 0, 40, 40], score: 0.9 },
    ],
    {
      cats: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c' },
      ],
    },
  );
  assert.deepEqual(Object.keys(s.perCategory), ['a', 'b', 'c']);
  close(s.perCategory.a!, 100);
  assert.equal(s.perCategory.b, null);
  assert.equal(s.perCategory.c, 0);
  assert.equal(prec(s, 0, 0, 1), -1);
  close(s.stats[0], 0.5);
  assert.equal(s.stats[8], 0.5);
});

test('detections beyond maxDets (100 per image) are dropped before matching; AR@1 and AR@10 cut further', () => {
  const gt: G[] = [{ box: [0, 0, 50, 50] }];
  const fps = (n: number, score: number): D[] => Array.from({ length: n }, (_, i) => ({ box: [100 + (i % 10) * 30, 100 + Math.floor(i / 10) * 30, 20, 20], score }));
  const tp: D = { box: [0, 0, 50, 50], score: 0.5 };
  // 100 FPs tied at 0.5 before the TP in the file: the TP is 101st in stable order -> cut -> AP 0, AR 0.
  let s = bbox(gt, [...fps(100, 0.5), tp]);
  assert.equal(s.stats[0], 0);
  assert.equal(s.stats[8], 0);
  // 99 FPs: the TP is 100th: rc = 0 (x99), 1; pr ends 1 / (100 + eps) = 0.01; envelope 0.01 everywhere -> AP 0.01.
  // AR@1 and AR@10 see only FPs -> 0; AR@100 = 1.
  s = bbox(gt, [...fps(99, 0.5), tp]);
  assert.equal(prec(s, 0, 0), 0.01);
  close(s.stats[0], 0.01);
  assert.equal(s.stats[6], 0);
  assert.equal(s.stats[7], 0);
  assert.equal(s.stats[8], 1);
  // The TP with the highest score among 150 detections: AP P1 ~ 1 and AR@1 = 1.
  s = bbox(gt, [...fps(149, 0.4), tp]);
  close(s.stats[0], 1);
  assert.equal(s.stats[6], 1);
});

test('area ranges: gts outside the range are ignored (by their area field), detections matched to them too, unmatched detections by their own area', () => {
  // gt s: box 40x40 but area field 500 (small); gt m: 40x50, area 2000 (medium); gt l: 100x200, area 20000 (large).
  // dFP (0.99): 50x100 = 5000 px (medium), matches nothing. ds (0.9), dm (0.8), dl (0.7): exact boxes.
  // all:    FP, TP, TP, TP; npig 3: rc 0, 1/3, 2/3, 1; pr 0, 1/2, 2/3, 3/4 -> envelope 3/4 -> AP 0.75
  // small:  dFP unmatched and 5000 > 32^2 -> ignored; ds TP; dm, dl matched to ignored gts -> ignored -> AP P1 ~ 1
  // medium: dFP unmatched, 5000 within [32^2, 96^2] -> FP; ds ignored (gt s ignored); dm TP; dl ignored
  //         -> FP, TP -> rc 0, 1; pr 0, 1/2 -> AP 0.5
  // large:  dFP ignored (out of range); dl TP -> AP P1 ~ 1
  const s = bbox(
    [
      { box: [0, 0, 40, 40], area: 500 },
      { box: [100, 0, 40, 50], area: 2000 },
      { box: [200, 0, 100, 200], area: 20000 },
    ],
    [
      { box: [0, 300, 50, 100], score: 0.99 },
      { box: [0, 0, 40, 40], score: 0.9 },
      { box: [100, 0, 40, 50], score: 0.8 },
      { box: [200, 0, 100, 200], score: 0.7 },
    ],
  );
  closeAll(s.stats.slice(0, 6), [0.75, 0.75, 0.75, 1, 0.5, 1]);
  assert.equal(s.stats[4], 0.5);
  // AR: all 3 found at 100 dets; AR@1 sees only dFP -> 0; per area 1 each.
  assert.deepEqual(s.stats.slice(6), [0, 1, 1, 1, 1, 1]);
});

test("ignore comes from iscrowd only: an 'ignore' field in the ground truth has no effect (COCOeval._prepare overwrites it)", () => {
  // gt with ignore: 1 but iscrowd: 0 is a regular gt: an exact detection is a TP -> AP P1 ~ 1, not -1.
  const s = bbox([{ box: [0, 0, 50, 50], extra: { ignore: 1 } }], [{ box: [0, 0, 50, 50], score: 0.9 }]);
  close(s.stats[0], 1);
  // the same gt with iscrowd: 1 is ignored -> no non-ignored gt -> -1 everywhere
  const c = bbox([{ box: [0, 0, 50, 50], crowd: 1 }], [{ box: [0, 0, 50, 50], score: 0.9 }]);
  assert.equal(c.stats[0], -1);
  assert.deepEqual(c.perCategory, { thing: null });
});

test('a match to a gt whose id is 0 reads as no match, as in pycocotools (dtMatches stores the gt id)', () => {
  // gt id 0, exact detection: dtm = 0 -> tps false, fps true -> FP; the gt counts in npig -> AP 0.
  const s = bbox([{ box: [0, 0, 50, 50], id: 0 }], [{ box: [0, 0, 50, 50], score: 0.9 }]);
  assert.equal(s.stats[0], 0);
  assert.equal(s.stats[8], 0);
});

test('keypoints: persons with num_keypoints == 0 are ignored, detections matched to them too', () => {
  // P1 (area 5000, medium): keypoints 0..4 labelled. P2 and P3: num_keypoints 0 -> ignored
  // (P3's keypoints even have v = 2: pycocotools reads the num_keypoints field).
  // det1 (0.9) = P1's keypoints exactly -> OKS 1 -> TP. det2 (0.95): all keypoints inside P2's
  // doubled box -> OKS 1 with P2 (no labelled keypoints: distance to the box is 0) -> ignored.
  // P3 has no detection. npig = 1: AP P1 ~ 1, AR 1. (Were P2, P3 regular, AR would be 2/3.)
  const kp = (pts: [number, number, number][]) => Array.from({ length: 17 }, (_, k) => pts[k] ?? [0, 0, 0]).flat();
  const p1 = kp([
    [10, 10, 2],
    [12, 9, 2],
    [8, 9, 2],
    [14, 11, 1],
    [6, 11, 2],
  ]);
  const gt = {
    images: [{ id: 7, height: 300, width: 300 }],
    categories: [{ id: 1, name: 'person' }],
    annotations: [
      { id: 1, image_id: 7, category_id: 1, iscrowd: 0, area: 5000, bbox: [0, 0, 50, 100], num_keypoints: 5, keypoints: p1 },
      { id: 2, image_id: 7, category_id: 1, iscrowd: 0, area: 5000, bbox: [100, 100, 50, 100], num_keypoints: 0, keypoints: kp([]) },
      { id: 3, image_id: 7, category_id: 1, iscrowd: 0, area: 5000, bbox: [200, 0, 50, 100], num_keypoints: 0, keypoints: kp([[210, 20, 2]]) },
    ],
  };
  const inside = Array.from({ length: 17 }, () => [120, 150, 1]).flat();
  const res = [
    { image_id: 7, category_id: 1, score: 0.9, keypoints: p1 },
    { image_id: 7, category_id: 1, score: 0.95, keypoints: inside },
  ];
  const s = evaluateCocoJson(gt, res, 'keypoints');
  assert.equal(s.stats.length, 10);
  // AP, AP50, AP75, AP medium, AP large (no large person -> -1), AR, AR50, AR75, AR medium, AR large
  closeAll(s.stats, [1, 1, 1, 1, -1, 1, 1, 1, 1, -1]);
  close(s.perCategory.person!, 100);
  // The summary lines use maxDets=20.
  assert.equal(s.lines[0], ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 1.000');
});

test('segm: mask IoU (not box IoU), crowd masks matched by intersection / detection area', () => {
  // 10 x 10 image. R (regular gt): x 0..4 on the even rows 0, 2, 4, 6, 8 -> 25 px, box [0, 0, 5, 9].
  // C (crowd gt): x 5..9, every row -> 50 px.
  // det1 (0.9):  x 0..4, every row -> 50 px; mask IoU with R = 25 / 50 = 0.5 (box IoU 45 / 50 = 0.9).
  // det3 (0.95): x 4..6, every row -> 30 px; with C: 20 px inside -> crowd IoU 20 / 30 = 0.667
  //              (a plain IoU would be 20 / 60 = 0.333); with R: 5 / (30 + 25 - 5) = 0.1.
  // det2 (0.8):  x 5..6, rows 0..4 -> 10 px inside C -> crowd IoU 1.
  // t = 0.5:        det3 -> C (ignored), det1 -> R (TP), det2 -> C again (ignored) -> AP P1 ~ 1
  // t = .55 .. .65: det3 ignored, det1 FP (0.5 < t), det2 ignored -> AP 0;  t >= .7: det3 FP too -> AP 0
  // AP = P1 / 10 ~ 0.1; AP50 ~ 1; AP75 = 0.
  const H = 10;
  const W = 10;
  const mask = (f: (x: number, y: number) => boolean) => {
    const m = new Uint8Array(H * W);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (f(x, y)) m[y * W + x] = 1;
    return m;
  };
  const R = mask((x, y) => x <= 4 && y % 2 === 0);
  const C = mask((x) => x >= 5);
  const uncompressed = (m: Uint8Array) => ({ size: [H, W], counts: Array.from(encode(m, H, W).counts) });
  const gt = {
    images: [{ id: 1, height: H, width: W }],
    categories: [{ id: 1, name: 'thing' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, iscrowd: 0, area: 25, bbox: [0, 0, 5, 9], segmentation: uncompressed(R) },
      { id: 2, image_id: 1, category_id: 1, iscrowd: 1, area: 50, bbox: [5, 0, 5, 10], segmentation: uncompressed(C) },
    ],
  };
  const det = (score: number, f: (x: number, y: number) => boolean) => ({ image_id: 1, category_id: 1, score, segmentation: toJson(encode(mask(f), H, W)) });
  const res = [det(0.9, (x) => x <= 4), det(0.95, (x) => x >= 4 && x <= 6), det(0.8, (x, y) => x >= 5 && x <= 6 && y <= 4)];
  const s = evaluateCocoJson(gt, res, 'segm');
  close(s.stats[0], P1 / 10);
  close(s.stats[1], 1);
  assert.equal(s.stats[2], 0);
  // The same detections scored on boxes (loadRes gives mask results their mask's box):
  // det1 [0,0,5,10] vs R [0,0,5,9]: IoU 0.9 -> TP while t <= 0.9 (the 9th threshold is 0.8999999999999999);
  // det3 [4,0,3,10] vs C: crowd IoU 20 / 30 -> ignored while t <= 0.65, else FP; det2 inside C -> ignored.
  // t = .5 .. .65: TP alone -> P1; t = .7 .. .9: FP, TP -> 1/2; t = .95: FP, FP -> 0
  // AP = (4 P1 + 5 * 0.5) / 10 ~ 0.65
  const b = evaluateCocoJson(gt, res, 'bbox');
  close(b.stats[0], 0.65);
});
