// Goldens worked by hand from DP2's box_utils.py / box_utils_fdf.py (steps in the comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cornersToBox, dp2BodyCrop, expandAxis } from '../../lib/regions/dp2-crop.ts';
import { fdfFaceCrop } from '../../lib/regions/fdf-crop.ts';

test('expand_axis: grow by halves (odd remainder at the end), then shift inside', () => {
  assert.deepEqual(expandAxis(40, 60, 23, 100), [39, 62]); // half 1 -> [39, 61], 22 != 23 -> end + 1
  assert.deepEqual(expandAxis(0, 20, 22, 100), [0, 22]); // [-1, 21] shifted right by 1
  assert.deepEqual(expandAxis(90, 100, 14, 100), [86, 100]); // [88, 102] shifted left by 2
  assert.deepEqual(expandAxis(0, 11, 37, 30), [-7, 30]); // [-13, 24] shifted by min(13, 6) = 6
  assert.deepEqual(expandAxis(2, 8, 14, 10), [-2, 12]); // [-2, 12]: both sides out, kept
  assert.deepEqual(expandAxis(2, 10, 12, 100), [0, 12]); // [0, 12]: half 2 each side
  assert.deepEqual(expandAxis(95, 100, 11, 100), [89, 100]); // [92, 103] shifted left by 3
  assert.deepEqual(expandAxis(0, 10, 20, 15), [-5, 15]); // [-5, 15]: wider than the image, both sides out
});

test('body crop, aspect step only (mask covers under 70% of the box)', () => {
  // tight [40, 50, 60, 110) (20x60), 1000 px, image 100x200.
  // 1. e = int(sqrt(1200) * 0.1) = 3: x -> [39, 62), y -> [49, 112)
  // 2. 63 / 23 = 2.74 >= 1.8: width int(63 / 1.8) = 35 -> x [33, 68)
  // 3. 1000 / (35 * 63) = 0.45, 1 - 0.45 > 0.3: unchanged
  assert.deepEqual(dp2BodyCrop([40, 50, 60, 110], 1000, 100, 200), [33, 49, 68, 112]);
});

test('body crop, background step (a full rectangle of aspect 1.8)', () => {
  // tight [10, 10, 30, 46) (20x36), 720 px, image 100x200.
  // 1. e = int(sqrt(720) * 0.1) = 2: x [9, 31), y [9, 47)
  // 2. 38 / 22 = 1.73 < 1.8: height int(22 * 1.8) = 39 -> y [9, 48)
  // 3. 720 / 858 = 0.839, 1 - 0.839 <= 0.3: target 720 / 0.7 = 1028.57, p = sqrt(1028.57 / 858)
  //    = 1.0949, width ceil(24.09) = 25 -> x [8, 33), height ceil(42.70) = 43 -> y [7, 50)
  assert.deepEqual(dp2BodyCrop([10, 10, 30, 46], 720, 100, 200), [8, 7, 33, 50]);
  // the same person in the image corner: every step shifts the box back inside
  assert.deepEqual(dp2BodyCrop([0, 0, 20, 36], 720, 100, 200), [0, 0, 25, 43]);
});

test('body crop, worked examples in a 2048x1024 image', () => {
  // tight [100, 50, 140, 150) (40x100): e = int(sqrt(4000) * 0.1) = 6 -> 46x106; 106/46 > 1.8 ->
  // width int(106 / 1.8) = 58 -> x [91, 149). 3000 mask px of 6148: background 51% > 30%, done.
  assert.deepEqual(dp2BodyCrop([100, 50, 140, 150], 3000, 2048, 1024), [91, 47, 149, 153]);
  // 5000 mask px: background 19% -> p = sqrt(5000 / 0.7 / 6148) = 1.07787: ceil(62.5) = 63, ceil(114.3) = 115
  assert.deepEqual(dp2BodyCrop([100, 50, 140, 150], 5000, 2048, 1024), [89, 43, 152, 158]);
});

test('body crop, background step in float32 as DP2 computes it (torch tensors)', () => {
  // tight [10, 10, 32, 51) (22x41), 896 px, image 100x200.
  // 1. e = int(sqrt(902) * 0.1) = 3: x [9, 34), y [9, 54) (25x45); 2. 45 / 25 = 1.8: unchanged.
  // 3. 896 / 1125 = 0.796: target 896 / 0.7 = 1280, p = sqrt(1280 / 1125) = 16/15.
  //    float32: p = 1.0666667, p * 45 = 48.000004 -> 49 rows, y [7, 56); p * 25 = 26.67 -> 27.
  //    (float64 gives p * 45 = 48.0 exactly -> 48 rows, y [8, 56).) Values from numpy.float32.
  assert.deepEqual(dp2BodyCrop([10, 10, 32, 51], 896, 100, 200), [8, 7, 35, 56]);
});

test('body crop, another target aspect ratio', () => {
  // tight [40, 50, 60, 110) as above with target 100x100 (ratio 1): after step 1 [39, 49, 62, 112)
  // (23x63), 63 / 23 > 1: width int(63 / 1) = 63 -> x [19, 82); 1000 / 3969 = 0.25: unchanged.
  assert.deepEqual(dp2BodyCrop([40, 50, 60, 110], 1000, 100, 200, [100, 100]), [19, 49, 82, 112]);
});

test('body crop may reach outside the image (aspect step on a short image)', () => {
  // tight [5, 0, 25, 10) (20x10), 200 px, image 30x30.
  // 1. e = int(sqrt(200) * 0.1) = 1: x [5, 26), y [0, 11)
  // 2. 11 / 21 < 1.8: height int(21 * 1.8) = 37 > 30: [-13, 24) shifted by min(13, 6) -> [-7, 30)
  // 3. 200 / 777 = 0.26: unchanged
  const c = dp2BodyCrop([5, 0, 25, 10], 200, 30, 30);
  assert.deepEqual(c, [5, -7, 26, 30]);
  assert.deepEqual(cornersToBox(c), [5, -7, 21, 37]);
});

test('FDF face crop: square, grown by int(0.35 * side) on each side, inside the image', () => {
  // [50, 20, 70, 44) in 200x100: square 24 -> x0 = 50 - 2 = 48; e = int(24 * 0.35) = 8
  assert.deepEqual(fdfFaceCrop([50, 20, 70, 44], 200, 100), [40, 12, 80, 52]);
  // near the top: y0 = max(0, 2 - 8) = 0
  assert.deepEqual(fdfFaceCrop([50, 2, 70, 26], 200, 100), [40, 0, 80, 40]);
  // e limited by (H - side) // 2 = (30 - 24) // 2 = 3 in a 200x30 image
  assert.deepEqual(fdfFaceCrop([50, 2, 70, 26], 200, 30), [45, 0, 75, 30]);
});

test('FDF face crop falls back to the simple expansion when the face is taller than the image', () => {
  // [10, 0, 50, 30) in 200x30: width 40 > min(H, W) = 30 -> expand_bbox_simple(box, 0.7):
  // centre (10 + 20, 0 + 15), half = floor(40 * 1.7 / 2) = 34
  assert.deepEqual(fdfFaceCrop([10, 0, 50, 30], 200, 30), [-4, -19, 64, 49]);
});
