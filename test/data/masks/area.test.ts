// rleArea sums the odd-indexed runs in 32-bit unsigned arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area, decode, encode } from '../../../lib/data/masks/index.ts';
import { randomMask, rng } from './pixels.ts';

const rle = (h: number, w: number, c: number[]) => ({ h, w, counts: Uint32Array.from(c) });

test('hand-worked areas', () => {
  assert.equal(area(rle(3, 2, [6])), 0);
  assert.equal(area(rle(3, 2, [0, 6])), 6);
  assert.equal(area(rle(3, 4, [0, 1, 1, 1, 6, 1, 1, 1])), 4);
  assert.equal(area(rle(0, 0, [])), 0);
});

test('uint wrap-around as in C (counts need not sum to h*w for area)', () => {
  assert.equal(area(rle(1, 1, [0, 0xffffffff, 0, 2])), 1);
});

test('area equals the pixel count of the decoded mask', () => {
  const rand = rng(2);
  for (let k = 0; k < 50; k++) {
    const m = randomMask(23, 31, rand);
    const r = encode(m, 23, 31);
    assert.equal(area(r), decode(r).reduce((s, v) => s + v, 0));
  }
});
