// The pieces of the privacy figures that need no model: box matching, the face crop, Human's
// similarity, CenterNet decoding, pair sampling, quantiles, the pixel-independence flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxIou, centreInside, matchTargets } from '../../lib/privacy/box-match.ts';
import { cosineSimilarity, faceCropBox, humanMatch, humanSimilarity } from '../../lib/privacy/face-embedding.ts';
import { decodeCenternet } from '../../lib/privacy/person-detector.ts';
import { distribution, pairs, quantile, share } from '../../lib/privacy/privacy-report.ts';
import { pixelIndependence } from '../../lib/privacy/pixel-independence.ts';
import { faceWindows } from '../../lib/privacy/face-detectability.ts';

test('boxIou and centreInside', () => {
  assert.equal(boxIou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  assert.equal(boxIou([0, 0, 10, 10], [5, 0, 10, 10]), 50 / 150);
  assert.equal(boxIou([0, 0, 10, 10], [10, 0, 10, 10]), 0);
  assert.ok(centreInside([0, 0, 10, 10], [4, 4, 2, 2]));
  assert.ok(!centreInside([0, 0, 10, 10], [9, 9, 4, 4])); // centre (11, 11)
  assert.ok(!centreInside([0, 0, 10, 10], [8, 0, 4, 4])); // centre x = 10: right edge exclusive
});

test('matchTargets: one-to-one, detections by descending score, the best-IoU target of those that fit', () => {
  const targets: [number, number, number, number][] = [
    [0, 0, 10, 10],
    [2, 0, 10, 10],
    [100, 100, 10, 10],
  ];
  // the high-score detection fits both first targets, takes the better one (target 1); the
  // second detection fits target 0 only by IoU 0.5 exactly (accepted: >= 0.5)
  const dets = [
    { box: [0, 0, 10, 5] as [number, number, number, number], score: 0.1 },
    { box: [2, 0, 10, 10] as [number, number, number, number], score: 0.9 },
  ];
  assert.equal(boxIou(targets[0]!, dets[0]!.box), 0.5);
  assert.deepEqual(matchTargets(targets, dets, 'iou50'), [0, 1, -1]);
  // one detection, two targets containing its centre: one match only
  assert.deepEqual(matchTargets(targets.slice(0, 2), [{ box: [4, 4, 2, 2], score: 1 }], 'centre'), [0, -1]);
  assert.deepEqual(matchTargets(targets, [], 'centre'), [-1, -1, -1]);
  // below IoU 0.5: not found
  assert.deepEqual(matchTargets([[0, 0, 10, 10]], [{ box: [5, 5, 10, 10], score: 1 }], 'iou50'), [-1]);
});

test('faceCropBox: Human\'s face box enlarged 1.4x about its centre and squared, corners rounded', () => {
  assert.deepEqual(faceCropBox([100, 50, 20, 10]), [96, 41, 124, 69]); // centre (110, 55), half 14
  assert.deepEqual(faceCropBox([0, 0, 10, 10]), [-2, -2, 12, 12]);
});

test('humanSimilarity: @vladmandic/human match.similarity with its default options', () => {
  const a = new Float32Array(1024);
  const b = new Float32Array(1024);
  assert.equal(humanSimilarity(a, b), 1);
  // Euclidean distance d: similarity = (1 - 5d/100 - 0.2) / 0.6, 2 decimals, clamped
  b[0] = 4; // d = 4: (0.8 - 0.2) / 0.6 = 1
  assert.equal(humanSimilarity(a, b), 1);
  b[0] = 8; // d = 8: (0.6 - 0.2) / 0.6 = 0.67
  assert.equal(humanSimilarity(a, b), 0.67);
  assert.ok(humanMatch(a, b));
  b[0] = 10; // d = 10: (0.5 - 0.2) / 0.6 = 0.5: not above the threshold
  assert.equal(humanSimilarity(a, b), 0.5);
  assert.ok(!humanMatch(a, b));
  b[0] = 20;
  assert.equal(humanSimilarity(a, b), 0);
  assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
  assert.ok(Math.abs(cosineSimilarity([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.equal(cosineSimilarity([0, 0], [1, 1]), 0);
});

test('decodeCenternet: person class only, score threshold, scaled to the image, NMS among persons', () => {
  const rows = [
    // x1, y1, x2, y2 (512 input), score, class
    0, 0, 256, 256, 0.9, 0, // person
    0, 0, 250, 256, 0.5, 0, // person, suppressed (IoU > 0.4 with the first)
    300, 300, 400, 500, 0.3, 0, // person
    0, 0, 256, 256, 0.95, 1, // bicycle: ignored
    10, 10, 20, 20, 0.1, 0, // below 0.2
  ];
  const d = decodeCenternet(rows, 1024, 256);
  assert.equal(d.length, 2);
  assert.deepEqual(d[0], { box: [0, 0, 512, 128], score: 0.9 });
  assert.deepEqual(d[1]!.box, [600, 150, 200, 100]);
  assert.throws(() => decodeCenternet([1, 2, 3], 10, 10), /rows of 6/);
});

test('pairs: all pairs, or exactly max evenly spaced; quantile, distribution and share', () => {
  assert.deepEqual([...pairs(3, 10)], [[0, 1], [0, 2], [1, 2]]);
  assert.equal([...pairs(100, 1000)].length, 1000);
  assert.equal([...pairs(1, 10)].length, 0);
  const some = [...pairs(10, 9)]; // 45 pairs, every 5th
  assert.equal(some.length, 9);
  assert.deepEqual(some[0], [0, 5]);
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([3, 1, 2], 0.5), 2);
  assert.equal(quantile([0, 10], 0.99), 9.9); // numpy.quantile([0, 10], 0.99)
  assert.deepEqual(distribution([3, 1, 2, 10]), { n: 4, mean: 4, median: 2.5, min: 1, max: 10 });
  assert.deepEqual(distribution([]), { n: 0, mean: null, median: null, min: null, max: null });
  assert.deepEqual(share([true, false, true, true]), { n: 4, found: 3, share: 0.75 });
  assert.deepEqual(share([]), { n: 0, found: 0, share: null });
});

test('faceWindows: lib/regions\' head window of the person and a window 3x the face centred on it', () => {
  const w = faceWindows([{ box: [100, 40, 10, 12], person: [90, 30, 130, 130] }]);
  // head window: s = min(40, 100) = 40, side 50, centred on x 110, from y 30 - 5
  assert.deepEqual(w[0], { ox: 85, oy: 25, side: 50 });
  assert.deepEqual(w[1], { ox: 105 - 18, oy: 46 - 18, side: 36 });
  assert.equal(faceWindows([{ box: [0, 0, 10, 10], person: [0, 0, 5, 5] }]).length, 1); // person too small for a head window
});

test('pixelIndependence reads the methods\' readsRegion flags', async () => {
  const independent = async (m: string) => (await pixelIndependence(m)).independent;
  assert.equal(await independent('maskout'), true);
  assert.equal(await independent('cropout'), true);
  assert.equal(await independent('inpaint'), true);
  assert.equal(await independent('blur'), false);
  assert.equal(await independent('pixelate'), false);
  // realistic: HM to the crop's context pixels never reads the region; DP2's HM reads the original crop
  assert.equal(await independent('realistic+hm'), true);
  assert.equal(await independent('realistic+hmlo-dp2'), false);
  await assert.rejects(pixelIndependence('nope'), /unknown anonymization method 'nope'/);
});
