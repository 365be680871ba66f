// Goldens worked by hand from pycocotools rleEncode: pixels are visited column by column
// (column-major index x*h + y) and runs alternate 0s / 1s, starting with 0s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../../lib/data/masks/index.ts';
import { grid } from './pixels.ts';

const enc = (r: string[]) => {
  const g = grid(r);
  return Array.from(encode(g.mask, g.h, g.w).counts);
};

test('empty and full masks', () => {
  assert.deepEqual(enc(['..', '..', '..']), [6]);
  assert.deepEqual(enc(['##', '##', '##']), [0, 6]);
  const r = encode(new Uint8Array(6), 3, 2);
  assert.equal(r.h, 3);
  assert.equal(r.w, 2);
  assert.ok(r.counts instanceof Uint32Array);
});

test('one pixel at each corner (h=3, w=4): column-major indices 0, 2, 9, 11', () => {
  assert.deepEqual(enc(['#...', '....', '....']), [0, 1, 11]);
  assert.deepEqual(enc(['...#', '....', '....']), [9, 1, 2]);
  assert.deepEqual(enc(['....', '....', '#...']), [2, 1, 9]);
  assert.deepEqual(enc(['....', '....', '...#']), [11, 1]);
  assert.deepEqual(enc(['#..#', '....', '#..#']), [0, 1, 1, 1, 6, 1, 1, 1]);
});

test('thin one-pixel lines', () => {
  // row 1 of a 3x4 image: indices 1, 4, 7, 10
  assert.deepEqual(enc(['....', '####', '....']), [1, 1, 2, 1, 2, 1, 2, 1, 1]);
  // column 2: indices 6, 7, 8
  assert.deepEqual(enc(['..#.', '..#.', '..#.']), [6, 3, 3]);
  // a 1-row image is one long column-major sequence with h = 1
  assert.deepEqual(enc(['.##.#']), [1, 2, 1, 1]);
  // a 1-column image
  assert.deepEqual(enc(['#', '#', '.', '#']), [0, 2, 1, 1]);
});

test('any nonzero value is inside', () => {
  const m = Uint8Array.of(0, 255, 7, 0); // 2x2 row-major
  assert.deepEqual(Array.from(encode(m, 2, 2).counts), [1, 2, 1]); // col-major: 0,7,255,0
});

test('zero-sized masks and size mismatches', () => {
  assert.deepEqual(Array.from(encode(new Uint8Array(0), 0, 5).counts), [0]); // as rleEncode: one empty run
  assert.throws(() => encode(new Uint8Array(5), 2, 2), RangeError);
  assert.throws(() => encode(new Uint8Array(4), 2.5, 2), RangeError);
});
