// Goldens worked by hand from pycocotools bbIou ([x, y, w, h] boxes; crowd: union = dt area).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bboxIou } from '../../../lib/data/masks/index.ts';
import type { Box } from '../../../lib/data/types.ts';

test('overlap, crowd, touching and disjoint boxes', () => {
  const a: Box = [0, 0, 2, 2];
  const b: Box = [1, 1, 2, 2];
  assert.deepEqual(Array.from(bboxIou([a], [b], [0])), [1 / 7]); // inter 1, union 4 + 4 - 1
  assert.deepEqual(Array.from(bboxIou([a], [b], [1])), [1 / 4]); // crowd: inter / area(dt)
  assert.deepEqual(Array.from(bboxIou([a], [[2, 0, 2, 2]], [0])), [0]); // touching edge
  assert.deepEqual(Array.from(bboxIou([a], [[5, 5, 1, 1]], [0])), [0]);
  assert.deepEqual(Array.from(bboxIou([a], [a], [true])), [1]);
  // crowd gt larger than dt: dt fully inside -> 1
  assert.deepEqual(Array.from(bboxIou([[1, 1, 1, 1]], [[0, 0, 10, 10]], [1])), [1]);
  // fractional boxes: x overlap [1, 2], y overlap [0.5, 1.5] -> inter 1; union 2.25 + 2 - 1
  assert.equal(bboxIou([[0.5, 0, 1.5, 1.5]], [[1, 0.5, 1, 2]], [0])[0], 1 / 3.25);
  assert.equal(bboxIou([[0.5, 0, 1.5, 1.5]], [[1, 0.5, 1, 2]], [1])[0], 1 / 2.25);
});

test('row-major dt x gt layout; empty iscrowd means no crowd', () => {
  const dt: Box[] = [[0, 0, 2, 2], [1, 1, 2, 2]];
  const gt: Box[] = [[0, 0, 2, 2], [1, 1, 2, 2], [1, 1, 2, 2]];
  assert.deepEqual(Array.from(bboxIou(dt, gt, [0, 0, 1])), [1, 1 / 7, 1 / 4, 1 / 7, 1, 1]);
  assert.deepEqual(Array.from(bboxIou(dt, gt, [])), [1, 1 / 7, 1 / 7, 1 / 7, 1, 1]);
  assert.equal(bboxIou([], gt, [0, 0, 0]).length, 0);
  assert.throws(() => bboxIou(dt, gt, [0]), RangeError);
});
