// decode is checked against hand-worked layouts and as the inverse of encode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '../../../lib/data/masks/index.ts';
import { grid, randomMask, rng, rows } from './pixels.ts';

const rle = (h: number, w: number, c: number[]) => ({ h, w, counts: Uint32Array.from(c) });

test('hand-worked layouts (row-major output from column-major runs)', () => {
  assert.deepEqual(rows(decode(rle(3, 4, [0, 1, 1, 1, 6, 1, 1, 1])), 3, 4), ['#..#', '....', '#..#']);
  assert.deepEqual(rows(decode(rle(3, 4, [1, 1, 2, 1, 2, 1, 2, 1, 1])), 3, 4), ['....', '####', '....']);
  assert.deepEqual(rows(decode(rle(3, 2, [6])), 3, 2), ['..', '..', '..']);
  assert.deepEqual(rows(decode(rle(3, 2, [0, 6])), 3, 2), ['##', '##', '##']);
  // a run of 1s wrapping from the bottom of column 0 to the top of column 1
  assert.deepEqual(rows(decode(rle(3, 2, [2, 2, 2])), 3, 2), ['.#', '..', '#.']);
  // zero-length runs in the middle are legal and toggle twice
  assert.deepEqual(rows(decode(rle(2, 3, [2, 0, 3, 1])), 2, 3), ['...', '..#']);
  // a trailing 0-run may be omitted
  assert.deepEqual(rows(decode(rle(2, 2, [3, 1])), 2, 2), ['..', '.#']);
});

test('counts that do not sum to h*w are rejected', () => {
  assert.throws(() => decode(rle(2, 2, [3])), /sum to 3/);
  assert.throws(() => decode(rle(2, 2, [3, 2])), RangeError);
});

test('decode(encode(m)) === m on random masks of assorted shapes', () => {
  const rand = rng(1);
  for (const [h, w] of [[1, 1], [1, 7], [7, 1], [5, 9], [32, 17], [64, 64]]) {
    for (let k = 0; k < 20; k++) {
      const m = randomMask(h, w, rand);
      assert.deepEqual(decode(encode(m, h, w)), m);
    }
  }
  const g = grid(['#.#', '.#.']);
  assert.deepEqual(decode(encode(g.mask, g.h, g.w)), g.mask);
});
