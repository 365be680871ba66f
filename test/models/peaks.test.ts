import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPeaks } from '../../lib/models/peaks.ts';

test('findPeaks: local maxima above the threshold, best first, within a radius', () => {
  // 5 x 4 map
  // prettier-ignore
  const h = [
    0.0, 0.2, 0.0, 0.0, 0.0,
    0.2, 0.9, 0.3, 0.0, 0.5,
    0.0, 0.3, 0.0, 0.0, 0.4,
    0.05, 0.0, 0.0, 0.7, 0.0,
  ];
  assert.deepEqual(findPeaks(h, 5, 4, 1, 0.1, 10), [
    { x: 1, y: 1, score: 0.9 },
    { x: 3, y: 3, score: 0.7 },
    { x: 4, y: 1, score: 0.5 },
  ]);
  // radius 2 (5x5 windows): (3,3) sees 0.9 at (1,1) and (4,1) sees 0.7 at (3,3)
  assert.deepEqual(findPeaks(h, 5, 4, 2, 0.1, 10), [{ x: 1, y: 1, score: 0.9 }]);
  // threshold and topK
  assert.deepEqual(findPeaks(h, 5, 4, 1, 0.6, 10).length, 2);
  assert.deepEqual(findPeaks(h, 5, 4, 1, 0.1, 1), [{ x: 1, y: 1, score: 0.9 }]);
});

test('findPeaks: a plateau gives one peak (the first in row-major order)', () => {
  const h = [0, 0.5, 0.5, 0, 0, 0.5, 0.5, 0];
  assert.deepEqual(findPeaks(h, 4, 2, 1, 0.1, 10), [{ x: 1, y: 0, score: 0.5 }]);
});

test('findPeaks: one channel of a multi-channel map', () => {
  // 2 x 1 map with 2 channels: channel 1 peaks at x=1
  assert.deepEqual(findPeaks([0.9, 0.1, 0.2, 0.8], 2, 1, 1, 0.1, 10, 1, 2), [{ x: 1, y: 0, score: 0.8 }]);
  assert.throws(() => findPeaks([0, 1, 2], 2, 1, 1, 0.1, 10), /expected 1 x 2 x 1/);
});
