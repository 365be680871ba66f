// Goldens worked by hand from the current pycocotools rleToBbox; random masks are checked
// against the min/max pixel coordinates of the decoded mask (for RLEs with pixels the two agree:
// a run that crosses a column boundary covers both the last and the first row, which is what
// the C's "full height" rule says).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, toBbox, toBboxes } from '../../../lib/data/masks/index.ts';
import { randomMask, rng } from './pixels.ts';

const rle = (h: number, w: number, c: number[]) => ({ h, w, counts: Uint32Array.from(c) });

test('hand-worked boxes', () => {
  assert.deepEqual(toBbox(rle(3, 2, [6])), [0, 0, 0, 0]); // fewer than 2 runs
  assert.deepEqual(toBbox(rle(0, 0, [])), [0, 0, 0, 0]);
  assert.deepEqual(toBbox(rle(3, 2, [0, 6])), [0, 0, 2, 3]); // full
  assert.deepEqual(toBbox(rle(3, 4, [0, 1, 11])), [0, 0, 1, 1]); // top-left corner
  assert.deepEqual(toBbox(rle(3, 4, [9, 1, 2])), [3, 0, 1, 1]); // top-right
  assert.deepEqual(toBbox(rle(3, 4, [2, 1, 9])), [0, 2, 1, 1]); // bottom-left
  assert.deepEqual(toBbox(rle(3, 4, [11, 1])), [3, 2, 1, 1]); // bottom-right
  assert.deepEqual(toBbox(rle(3, 4, [0, 1, 1, 1, 6, 1, 1, 1])), [0, 0, 4, 3]); // all four
  assert.deepEqual(toBbox(rle(3, 4, [6, 3, 3])), [2, 0, 1, 3]); // one column
  assert.deepEqual(toBbox(rle(3, 4, [1, 1, 2, 1, 2, 1, 2, 1, 1])), [0, 1, 4, 1]); // one row
  // a run from the bottom of column 0 into column 1: the C takes the full height
  assert.deepEqual(toBbox(rle(3, 2, [2, 2, 2])), [0, 0, 2, 3]);
  // an odd trailing 0-run count is ignored: pairs (1, 2) only -> rows 1..2 of column 0
  assert.deepEqual(toBbox(rle(3, 2, [1, 2, 3])), [0, 1, 1, 2]);
  // zero-length 1-runs are skipped (the fix in current pycocotools): 3 leading zeros, then
  // 2 px at indices 3..4 of a 3x3 image -> column 1, rows 0..1
  assert.deepEqual(toBbox(rle(3, 3, [0, 0, 0, 0, 3, 2, 4])), [1, 0, 1, 2]);
  // a 1-run crossing from column 0 into column 2 (indices 2..6 of 3x3): full height
  assert.deepEqual(toBbox(rle(3, 3, [2, 5, 2])), [0, 0, 3, 3]);
  // two or more runs but no pixel: C's uint arithmetic gives [w, h, 1 - w, 1 - h] mod 2^32
  assert.deepEqual(toBbox(rle(4, 5, [20, 0])), [5, 4, 2 ** 32 - 4, 2 ** 32 - 3]);
});

test('toBbox equals the pixel bounding box of the decoded mask', () => {
  const rand = rng(3);
  for (const [h, w] of [[1, 9], [9, 1], [13, 17], [40, 30]]) {
    for (let k = 0; k < 30; k++) {
      const m = randomMask(h, w, rand, 0.3);
      let xs = w, ys = h, xe = -1, ye = -1;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (m[y * w + x]) {
        xs = Math.min(xs, x); xe = Math.max(xe, x); ys = Math.min(ys, y); ye = Math.max(ye, y);
      }
      const expected = xe < 0 ? [0, 0, 0, 0] : [xs, ys, xe - xs + 1, ye - ys + 1];
      const r = encode(m, h, w);
      assert.deepEqual(toBbox(r), expected);
      assert.deepEqual(decode(r), m);
    }
  }
});

test('toBboxes flattens', () => {
  assert.deepEqual(Array.from(toBboxes([rle(3, 4, [11, 1]), rle(3, 2, [6])])), [3, 2, 1, 1, 0, 0, 0, 0]);
});
