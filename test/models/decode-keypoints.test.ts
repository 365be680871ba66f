import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKeypoints, type KeypointMaps } from '../../lib/models/decode-keypoints.ts';

function maps(w: number, h: number): KeypointMaps {
  const n = w * h;
  return {
    width: w,
    height: h,
    center: new Float32Array(n),
    keypoints: new Float32Array(n * 17),
    offsets: new Float32Array(n * 34),
    size: new Float32Array(n * 2),
    local: new Float32Array(n * 2),
  };
}

test('decodeKeypoints: regressed keypoints snap to the nearest heatmap peak inside the box', () => {
  const w = 20;
  const h = 20;
  const m = maps(w, h);
  const c = 10 * w + 10; // person centre (10, 10), box 10 x 16
  m.center[c] = 0.8;
  m.size[2 * c] = 10;
  m.size[2 * c + 1] = 16;
  for (let j = 0; j < 17; j++) {
    m.offsets[34 * c + 2 * j] = -2 + (j % 5); // regressed x = 8 .. 12
    m.offsets[34 * c + 2 * j + 1] = -6 + j * 0.5; // regressed y = 4 .. 12
  }
  // keypoint 0 (nose): regressed at (8, 4); heatmap peaks at (9, 4) [near] and (15, 4) [outside the box]
  m.keypoints[(4 * w + 9) * 17] = 0.7;
  m.keypoints[(4 * w + 15) * 17] = 0.9;
  m.local![2 * (4 * w + 9)] = 0.25;
  m.local![2 * (4 * w + 9) + 1] = -0.5;
  // keypoint 3: regressed at (11, 5.5); a peak at (11, 13) is inside the box but farther than 0.3 * 16 = 4.8
  m.keypoints[(13 * w + 11) * 17 + 3] = 0.9;
  const [p, ...rest] = decodeKeypoints(m);
  assert.equal(rest.length, 0);
  assert.equal(p.score, Math.fround(0.8));
  assert.deepEqual(p.box, [5, 2, 10, 16]);
  assert.deepEqual([...p.keypoints.subarray(0, 3)], [9.25, 3.5, Math.fround(0.7)]);
  assert.equal(p.snapped[0], true);
  // not snapped: regressed location, score read at its pixel (0 here)
  assert.deepEqual([...p.keypoints.subarray(9, 12)], [11, 5.5, 0]);
  assert.equal(p.snapped[3], false);
  // no peaks at all for keypoint 16: regressed (8 + 16 % 5 - 0 ... )
  assert.deepEqual([...p.keypoints.subarray(48, 50)], [10 - 2 + (16 % 5), 10 - 6 + 8]);
});

test('decodeKeypoints: two people each take the peak nearest to their own regression', () => {
  const w = 30;
  const h = 12;
  const m = maps(w, h);
  for (const [cx, kx] of [
    [5, 6],
    [20, 19],
  ]) {
    const c = 6 * w + cx;
    m.center[c] = cx === 5 ? 0.9 : 0.6;
    m.size[2 * c] = 8;
    m.size[2 * c + 1] = 10;
    m.offsets[34 * c + 2 * 5] = kx - cx; // left_shoulder regressed at (kx, 4)
    m.offsets[34 * c + 2 * 5 + 1] = -2;
    m.keypoints[(4 * w + kx + (cx === 5 ? 1 : -1)) * 17 + 5] = 0.5; // peaks one pixel off
  }
  const out = decodeKeypoints(m);
  assert.equal(out.length, 2);
  assert.deepEqual([out[0].centerX, out[1].centerX], [5, 20]);
  assert.deepEqual([...out[0].keypoints.subarray(15, 17)], [7, 4]);
  assert.deepEqual([...out[1].keypoints.subarray(15, 17)], [18, 4]);
  assert.deepEqual(decodeKeypoints(m, { threshold: 0.7 }).length, 1);
  assert.deepEqual(decodeKeypoints(m, { topK: 1 }).map((p) => p.centerX), [5]);
});

test("decodeKeypoints: fallback 'box-max' puts unsnapped keypoints at their heatmap's maximum in the box", () => {
  const w = 12;
  const h = 12;
  const m = maps(w, h);
  const c = 6 * w + 6;
  m.center[c] = 0.9;
  m.size[2 * c] = 6;
  m.size[2 * c + 1] = 6; // box x, y in [3, 9]
  // keypoint 2: a weak maximum (below the snap threshold) at (4, 8); a stronger one outside the box
  m.keypoints[(8 * w + 4) * 17 + 2] = 0.05;
  m.keypoints[(8 * w + 11) * 17 + 2] = 0.08;
  m.local![2 * (8 * w + 4)] = -0.25;
  const regressed = decodeKeypoints(m)[0];
  assert.deepEqual([...regressed.keypoints.subarray(6, 9)], [6, 6, 0]);
  const boxed = decodeKeypoints(m, { fallback: 'box-max' })[0];
  assert.deepEqual([...boxed.keypoints.subarray(6, 9)], [3.75, 8, Math.fround(0.05)]);
  assert.equal(boxed.snapped[2], false);
});

test('decodeKeypoints: checks map sizes', () => {
  const m = maps(4, 4);
  assert.throws(() => decodeKeypoints({ ...m, offsets: new Float32Array(10) }), /offset map has 10 values/);
});
