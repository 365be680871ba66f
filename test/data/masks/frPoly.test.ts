// Polygon rasterization (pycocotools rleFrPoly). Each golden below was worked through the C
// algorithm by hand: vertices -> (int)(5*v + .5); walk every edge on the 5x grid; keep the steps
// where the x column changes and (xd + .5)/5 - .5 is an integer column in 0..w-1; row =
// ceil(clamp((min(v) + .5)/5 - .5, 0, h)); toggles at x*h + y, sorted, equal ones cancel.
// pycocotools' pixel x covers [x, x+1): a pixel is inside when its centre (x+.5, y+.5) is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, frBbox, frPoly } from '../../../lib/data/masks/index.ts';
import type { Rle } from '../../../lib/data/types.ts';
import { rng, rows } from './pixels.ts';

const c = (r: Rle) => Array.from(r.counts);
const pic = (r: Rle) => rows(decode(r), r.h, r.w);

test('axis-aligned square with integer vertices', () => {
  // scaled (0,0) (0,10) (10,10) (10,0); top edge (y=10) gives (0,2) (1,2), bottom edge gives
  // (1,0) (0,0); toggles 0,2,4,6 + 16 -> runs 0,2,2,2,10
  const r = frPoly([0, 0, 0, 2, 2, 2, 2, 0], 4, 4);
  assert.deepEqual(c(r), [0, 2, 2, 2, 10]);
  assert.deepEqual(pic(r), ['##..', '##..', '....', '....']);
  // orientation does not matter
  assert.deepEqual(c(frPoly([0, 0, 2, 0, 2, 2, 0, 2], 4, 4)), [0, 2, 2, 2, 10]);
});

test('triangle with half-pixel vertices (0.5,0.5) (3.5,0.5) (0.5,3.5) in 5x5', () => {
  // scaled (3,3) (18,3) (3,18); toggles (1,1) (2,1) (3,1) (3,1) (2,2) (1,3) -> 6,11,16,16,12,8 + 25
  // -> runs 6,2,3,1,4,0,9 -> the 0 merges 4 and 9 -> 6,2,3,1,13
  const r = frPoly([0.5, 0.5, 3.5, 0.5, 0.5, 3.5], 5, 5);
  assert.deepEqual(c(r), [6, 2, 3, 1, 13]);
  assert.deepEqual(pic(r), ['.....', '.##..', '.#...', '.....', '.....']);
});

test('concave polygon (a U shape)', () => {
  // (0,0) (3,0) (3,3) (2,3) (2,1) (1,1) (1,3) (0,3) in h=4, w=5; toggles (0,0) (1,0) (2,0) (2,3)
  // (1,1) (0,3) -> 0,4,8,11,5,3 + 20 -> runs 0,3,1,1,3,3,9
  const r = frPoly([0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3], 4, 5);
  assert.deepEqual(c(r), [0, 3, 1, 1, 3, 3, 9]);
  assert.deepEqual(pic(r), ['###..', '#.#..', '#.#..', '.....']);
});

test('fractional vertices: pixel centres decide', () => {
  // 0.3 -> (int)(1.5+.5) = 2, 1.7 -> (int)(8.5+.5) = 9: same toggles as the integer square
  assert.deepEqual(c(frPoly([0.3, 0.3, 0.3, 1.7, 1.7, 1.7, 1.7, 0.3], 4, 4)), [0, 2, 2, 2, 10]);
  // 0.4 -> 2, 1.6 -> 8: centres 0.5 and 1.5 are inside -> still the 2x2 square
  assert.deepEqual(c(frPoly([0.4, 0.4, 0.4, 1.6, 1.6, 1.6, 1.6, 0.4], 4, 4)), [0, 2, 2, 2, 10]);
  // 0.6 -> 3, 1.4 -> 7: the walk never crosses a column centre (5n+2 -> 5n+3): empty
  assert.deepEqual(c(frPoly([0.6, 0.6, 0.6, 1.4, 1.4, 1.4, 1.4, 0.6], 4, 4)), [16]);
});

test('out-of-bounds and negative vertices', () => {
  // (-1,-1)..(10,10) on 4x4: -1 -> (int)(-4.5) = -4 (truncation toward zero); rows clamp to
  // 0 and h=4; every column toggles at y=0 and y=4 -> pairs cancel -> full mask
  assert.deepEqual(c(frPoly([-1, -1, 10, -1, 10, 10, -1, 10], 4, 4)), [0, 16]);
  // triangle (-0.7,-0.7) (3.3,-0.7) (-0.7,3.3): scaled (-3,-3) (17,-3) (-3,17); on the slanted
  // edge (int)(17.5 - t) truncates toward zero; toggles (0,0) (1,0) (2,0) (2,0) (1,1) (0,2)
  // -> 0,4,8,8,5,2 + 16 -> runs 0,2,2,1,3,0,8 -> 0,2,2,1,11
  const t = frPoly([-0.7, -0.7, 3.3, -0.7, -0.7, 3.3], 4, 4);
  assert.deepEqual(c(t), [0, 2, 2, 1, 11]);
  assert.deepEqual(pic(t), ['##..', '#...', '....', '....']);
  // entirely outside the image: empty
  assert.deepEqual(c(frPoly([10, 10, 12, 10, 12, 12], 4, 4)), [16]);
  assert.deepEqual(c(frPoly([-5, -5, -2, -5, -2, -2], 4, 4)), [16]);
  // straddling the right border: columns beyond w-1 are dropped
  assert.deepEqual(pic(frPoly([2, 1, 9, 1, 9, 2, 2, 2], 3, 4)), ['....', '..##', '....']);
});

test('thin shapes', () => {
  // a 1-pixel-high rectangle: row 1 -> indices 1,5,9,13
  assert.deepEqual(c(frPoly([0, 1, 4, 1, 4, 2, 0, 2], 4, 4)), [1, 1, 3, 1, 3, 1, 3, 1, 2]);
  // collinear points (zero area): every toggle comes twice and cancels -> empty
  assert.deepEqual(c(frPoly([0, 1, 4, 1, 2, 1], 4, 4)), [16]);
  // a sliver narrower than the distance between pixel centres: empty
  assert.deepEqual(c(frPoly([0, 1.6, 4, 1.6, 4, 1.9, 0, 1.9], 4, 4)), [16]);
});

test('a repeated closing vertex (zero-length edge) changes nothing', () => {
  const a = frPoly([0.5, 0.5, 3.5, 0.5, 0.5, 3.5], 5, 5);
  const b = frPoly([0.5, 0.5, 3.5, 0.5, 0.5, 3.5, 0.5, 0.5], 5, 5);
  const d = frPoly([0.5, 0.5, 3.5, 0.5, 3.5, 0.5, 0.5, 3.5], 5, 5);
  assert.deepEqual(c(b), c(a));
  assert.deepEqual(c(d), c(a));
});

test('integer rectangles equal the pixel rectangle (random), and frBbox agrees', () => {
  const rand = rng(6);
  const h = 13, w = 9;
  for (let k = 0; k < 60; k++) {
    const x0 = Math.floor(rand() * (w + 4)) - 2, y0 = Math.floor(rand() * (h + 4)) - 2;
    const bw = Math.floor(rand() * 8), bh = Math.floor(rand() * 8);
    const m = new Uint8Array(h * w);
    for (let y = Math.max(0, y0); y < Math.min(h, y0 + bh); y++) for (let x = Math.max(0, x0); x < Math.min(w, x0 + bw); x++) m[y * w + x] = 1;
    const poly = frPoly([x0, y0, x0 + bw, y0, x0 + bw, y0 + bh, x0, y0 + bh], h, w);
    assert.deepEqual(decode(poly), m, `box ${[x0, y0, bw, bh]}`);
    assert.deepEqual(c(frBbox([x0, y0, bw, bh], h, w)), c(encode(m, h, w)));
  }
});

test('bad input', () => {
  assert.throws(() => frPoly([0, 0, NaN, 1, 2, 2], 4, 4), RangeError);
  assert.throws(() => frPoly([0, 0, 1, 1, 2, 2], -1, 4), RangeError);
  assert.deepEqual(c(frPoly([], 2, 2)), [4]);
});
