// rleFrBbox rasterizes the corner polygon of [x, y, w, h] with rleFrPoly, so a box covers the
// pixels whose centres (x+.5, y+.5) it contains (worked by hand below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, frBbox, frPoly } from '../../../lib/data/masks/index.ts';
import { rows } from './pixels.ts';

test('hand-worked boxes', () => {
  const r = frBbox([1, 1, 2, 3], 5, 5); // columns 1..2, rows 1..3
  assert.deepEqual(Array.from(r.counts), [6, 3, 2, 3, 11]);
  assert.deepEqual(rows(decode(frBbox([0.4, 0.6, 1.2, 2], 3, 3)), 3, 3), ['...', '##.', '##.']);
  assert.deepEqual(Array.from(frBbox([0, 0, 0, 0], 3, 3).counts), [9]); // empty box
  assert.deepEqual(Array.from(frBbox([-5, -5, 50, 50], 2, 3).counts), [0, 6]); // covers the image
});

test('frBbox is frPoly of (xs,ys) (xs,ye) (xe,ye) (xe,ys)', () => {
  const b: [number, number, number, number] = [1.3, 0.7, 5.1, 2.2];
  assert.deepEqual(frBbox(b, 6, 8), frPoly([1.3, 0.7, 1.3, 2.9, 6.4, 2.9, 6.4, 0.7], 6, 8));
});
