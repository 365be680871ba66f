import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxMaskCorners, boxMaskIou, matchDetectionsToMasks } from '../../lib/regions/match.ts';
import type { Box } from '../../lib/data/types.ts';
import { rectMask } from './fixtures.ts';

const W = 100;
const H = 40;
const det = (box: Box, score: number) => ({ box, score });

test('box as a mask: corners truncated with int(), clipped to the image', () => {
  assert.deepEqual(boxMaskCorners([2.9, 3.2, 4.5, 1.9], W, H), [2, 3, 7, 5]); // x1 = int(7.4), y1 = int(5.1)
  assert.deepEqual(boxMaskCorners([95.5, 38, 10, 10], W, H), [95, 38, 100, 40]);
});

test('IoU of a box and a mask: inter / (union + 1e-7)', () => {
  const m = rectMask(W, H, 0, 0, 10, 10); // 100 px
  assert.equal(boxMaskIou([0, 0, 10, 10], m), 100 / (100 + 1e-7));
  assert.equal(boxMaskIou([0, 0, 10, 5], m), 50 / (100 + 1e-7));
  assert.equal(boxMaskIou([5, 5, 10, 10], m), 25 / (100 + 100 - 25 + 1e-7));
  assert.equal(boxMaskIou([50, 0, 10, 10], m), 0);
  // a mask whose runs cross columns (full-height columns)
  const full = rectMask(W, H, 3, 0, 5, 40); // 80 px
  assert.equal(boxMaskIou([0, 10, 10, 10], full), 20 / (100 + 80 - 20 + 1e-7));
});

test('greedy by (-IoU, -score): the best IoU wins over a higher score; the loser is dropped', () => {
  const masks = [rectMask(W, H, 0, 0, 10, 10), rectMask(W, H, 20, 0, 30, 10)];
  const dets = [
    det([0, 0, 10, 10], 0.6), // IoU 1 with mask 0
    det([0, 0, 10, 5], 0.9), // IoU 0.5 with mask 0, higher score: loses, matches nothing else -> dropped
    det([20, 0, 10, 5], 0.5), // IoU 0.5 with mask 1
    det([20, 5, 10, 5], 0.7), // IoU 0.5 with mask 1, higher score: wins the tie
  ];
  const m = matchDetectionsToMasks(dets, masks);
  assert.deepEqual(
    m.map((x) => [x.detection, x.mask]),
    [
      [0, 0],
      [3, 1],
    ],
  );
});

test('IoU must exceed 0.01: exactly 1% is not a match, 2% is', () => {
  const masks = [rectMask(W, H, 50, 0, 60, 10), rectMask(W, H, 70, 0, 80, 10)];
  const dets = [
    det([59, 9, 1, 1], 0.99), // 1 px of a 100 px mask: 1 / 100 -> not > 0.01
    det([79, 8, 1, 2], 0.99), // 2 / 100 = 0.02
  ];
  assert.deepEqual(
    matchDetectionsToMasks(dets, masks).map((x) => [x.detection, x.mask]),
    [[1, 1]],
  );
  // a lower threshold lets the first through
  assert.equal(matchDetectionsToMasks(dets, masks, 0.005).length, 2);
});

test('equal IoU and score: the mask with fewer candidate detections goes first', () => {
  const masks = [rectMask(W, H, 0, 20, 10, 30), rectMask(W, H, 20, 20, 30, 30)];
  const dets = [
    det([5, 20, 20, 10], 0.8), // 50 px of each mask: IoU 50 / 250 = 0.2 with both
    det([0, 20, 2, 5], 0.9), // 10 px of mask 0 only: IoU 10 / 100 = 0.1
  ];
  // mask 0 has two candidates, mask 1 one: (0, 1) sorts before (0, 0), then (1, 0) is free
  assert.deepEqual(
    matchDetectionsToMasks(dets, masks).map((x) => [x.detection, x.mask]),
    [
      [0, 1],
      [1, 0],
    ],
  );
});

test('no detections or no masks: no matches', () => {
  assert.deepEqual(matchDetectionsToMasks([], [rectMask(W, H, 0, 0, 5, 5)]), []);
  assert.deepEqual(matchDetectionsToMasks([det([0, 0, 5, 5], 1)], []), []);
});
