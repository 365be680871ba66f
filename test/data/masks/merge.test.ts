// Union / intersection (pycocotools rleMerge). Goldens worked by hand on 4x4 masks
// (column-major indices), and agreement with pixel-wise OR / AND on random masks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, frBbox, merge } from '../../../lib/data/masks/index.ts';
import type { Rle } from '../../../lib/data/types.ts';
import { randomMask, rng } from './pixels.ts';

const c = (r: Rle) => Array.from(r.counts);

test('hand-worked union and intersection', () => {
  const A = frBbox([0, 0, 2, 2], 4, 4); // indices 0,1,4,5
  const B = frBbox([1, 0, 2, 2], 4, 4); // indices 4,5,8,9
  assert.deepEqual(c(A), [0, 2, 2, 2, 10]);
  assert.deepEqual(c(B), [4, 2, 2, 2, 6]);
  assert.deepEqual(c(merge([A, B])), [0, 2, 2, 2, 2, 2, 6]);
  assert.deepEqual(c(merge([A, B], true)), [4, 2, 10]);
  const D = frBbox([3, 3, 1, 1], 4, 4); // index 15
  assert.deepEqual(c(merge([A, D], true)), [16]); // empty intersection
  assert.deepEqual(c(merge([A, D])), [0, 2, 2, 2, 9, 1]);
  assert.deepEqual(c(merge([A, B, D])), [0, 2, 2, 2, 2, 2, 5, 1]);
  assert.deepEqual(c(merge([A, B, D], true)), [16]);
});

test('one input is copied, none gives a 0x0 RLE, sizes must agree', () => {
  const A = frBbox([0, 0, 2, 2], 4, 4);
  const m = merge([A]);
  assert.deepEqual(c(m), c(A));
  assert.notEqual(m.counts, A.counts);
  assert.deepEqual(merge([]), { h: 0, w: 0, counts: new Uint32Array(0) });
  assert.throws(() => merge([A, frBbox([0, 0, 1, 1], 4, 5)]), RangeError);
});

test('agrees with pixel-wise OR / AND and yields canonical runs (random masks)', () => {
  const rand = rng(5);
  const h = 17, w = 11;
  for (let k = 0; k < 40; k++) {
    const ms = [0, 1, 2].slice(0, 2 + (k % 2)).map(() => randomMask(h, w, rand, 0.5));
    const rs = ms.map((m) => encode(m, h, w));
    const or = new Uint8Array(h * w), and = new Uint8Array(h * w).fill(1);
    for (const m of ms) for (let i = 0; i < h * w; i++) {
      or[i] |= m[i];
      and[i] &= m[i];
    }
    // merge of canonical inputs equals encode of the combined pixels, run for run
    assert.deepEqual(c(merge(rs)), c(encode(or, h, w)));
    assert.deepEqual(c(merge(rs, true)), c(encode(and, h, w)));
    assert.deepEqual(decode(merge(rs)), or);
  }
});
