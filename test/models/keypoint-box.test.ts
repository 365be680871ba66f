import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxFromKeypoints, fitKeypointBox, MIN_KEYPOINTS } from '../../lib/models/keypoint-box.ts';

/** 17 keypoints spread over the extent [x0, x1] x [y0, y1] (the first `n` labelled). */
function person(x0: number, y0: number, x1: number, y1: number, n = 17): number[] {
  const kp: number[] = [];
  for (let j = 0; j < 17; j++) {
    const t = j / 16;
    kp.push(x0 + (x1 - x0) * (j % 2 ? t : 1 - t), y0 + (y1 - y0) * t, j < n ? 2 : 0);
  }
  return kp;
}

test('fitKeypointBox: medians of the box-to-extent ratios over people with enough keypoints', () => {
  const r = fitKeypointBox([
    // extent 10 x 100 at (0, 0): box 20 x 110, centre (5, 45): height 1.1, width 2, dx 0, dy -0.05
    { bbox: [-5, -10, 20, 110], keypoints: person(0, 0, 10, 100) },
    // extent 20 x 50 at (100, 100): box 30 x 60, centre (112, 127): height 1.2, width 1.5, dx 0.04, dy 0.04
    { bbox: [97, 97, 30, 60], keypoints: person(100, 100, 120, 150) },
    // extent 10 x 40 at (0, 0): box 10 x 52, centre (5, 20): height 1.3, width 1, dx 0, dy 0
    { bbox: [0, -6, 10, 52], keypoints: person(0, 0, 10, 40) },
    // too few keypoints, no keypoints, an empty box: not measured
    { bbox: [0, 0, 50, 50], keypoints: person(0, 0, 10, 10, MIN_KEYPOINTS - 1) },
    { bbox: [0, 0, 50, 50] },
    { bbox: [0, 0, 0, 50], keypoints: person(0, 0, 10, 10) },
  ])!;
  assert.equal(r.people, 3);
  assert.ok(Math.abs(r.height - 1.2) < 1e-12, String(r.height));
  assert.ok(Math.abs(r.width - 1.5) < 1e-12, String(r.width));
  assert.ok(Math.abs(r.dx - 0) < 1e-12 && Math.abs(r.dy - 0) < 1e-12, `${r.dx} ${r.dy}`);
  assert.equal(fitKeypointBox([{ bbox: [0, 0, 5, 5], keypoints: person(0, 0, 1, 1, 3) }]), undefined);
});

test('boxFromKeypoints: the extent of the confident keypoints, scaled and shifted', () => {
  const r = { height: 1.2, width: 1.5, dx: 0.1, dy: -0.05, people: 1 };
  const kp = person(10, 20, 30, 120).map((v, i) => (i % 3 === 2 ? 0.5 : v));
  // extent 20 x 100 centred (20, 70): box 30 x 120 centred (20 + 10, 70 - 5)
  const b = boxFromKeypoints(kp, r, 0.3)!;
  assert.deepEqual(b.map((v) => Math.round(v * 1e9) / 1e9), [15, 5, 30, 120]);
  // keypoints below the score do not count; fewer than 4 left: no box
  const low = kp.map((v, i) => (i % 3 === 2 && i > 9 ? 0.1 : v));
  assert.equal(boxFromKeypoints(low, r, 0.3), undefined);
  // no height: no box
  assert.equal(boxFromKeypoints(person(0, 5, 10, 5).map((v, i) => (i % 3 === 2 ? 1 : v)), r, 0.3), undefined);
});
