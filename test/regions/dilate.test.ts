import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '../../lib/data/masks/index.ts';
import { DP2_CROP_RADIUS, diskHalfWidths, dilate, dp2DilationRadius } from '../../lib/regions/dilate.ts';
import { grid, randomMask, rng, rows } from '../data/masks/pixels.ts';

/** Dilation by definition: a pixel is set when a mask pixel lies within dx^2 + dy^2 <= r^2. */
function bruteDilate(m: Uint8Array, h: number, w: number, r: number): Uint8Array {
  const out = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let on = 0;
      for (let dy = -r; dy <= r && !on; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          if (dx * dx + dy * dy > r * r) continue;
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w && m[yy * w + xx]) {
            on = 1;
            break;
          }
        }
      }
      out[y * w + x] = on;
    }
  }
  return out;
}

test('disk half-widths are floor(sqrt(r^2 - d^2))', () => {
  assert.deepEqual([...diskHalfWidths(0)], [0]);
  assert.deepEqual([...diskHalfWidths(1)], [1, 0]);
  assert.deepEqual([...diskHalfWidths(4)], [4, 3, 3, 2, 0]); // 16-1=15 -> 3, 16-4=12 -> 3, 16-9=7 -> 2, 0
  assert.deepEqual([...diskHalfWidths(5)], [5, 4, 4, 4, 3, 0]); // 24 -> 4, 21 -> 4, 16 -> 4, 9 -> 3
});

test('hand-worked: one pixel dilated by r = 2 is the 13-pixel disk', () => {
  const g = grid(['.......', '.......', '.......', '...#...', '.......', '.......', '.......']);
  const d = dilate(encode(g.mask, g.h, g.w), 2);
  assert.deepEqual(rows(decode(d), g.h, g.w), ['.......', '...#...', '..###..', '.#####.', '..###..', '...#...', '.......']);
});

test('matches brute-force disk dilation on random masks (canonical RLE as encode writes it)', () => {
  const rand = rng(11);
  for (let k = 0; k < 300; k++) {
    const h = 1 + Math.floor(rand() * 24);
    const w = 1 + Math.floor(rand() * 24);
    const r = k % 25 === 0 ? 12 + Math.floor(rand() * 10) : Math.floor(rand() * 7);
    const m = randomMask(h, w, rand, 0.3);
    const got = dilate(encode(m, h, w), r);
    const want = encode(bruteDilate(m, h, w, r), h, w);
    assert.deepEqual(got, want, `case ${k}: ${h}x${w} r=${r}`);
  }
});

test('masks touching the image border and runs crossing columns', () => {
  // a full first column: its run continues into the next column in column-major order
  const g = grid(['#...', '#...', '#..#']);
  for (const r of [0, 1, 2, 3]) assert.deepEqual(dilate(encode(g.mask, 3, 4), r), encode(bruteDilate(g.mask, 3, 4, r), 3, 4), `r=${r}`);
});

test('empty and full masks; r = 0 is a copy; bad radius is an error', () => {
  const empty = { h: 5, w: 4, counts: Uint32Array.from([20]) };
  assert.deepEqual(dilate(empty, 3), empty);
  const full = { h: 5, w: 4, counts: Uint32Array.from([0, 20]) };
  assert.deepEqual(dilate(full, 2), full);
  const m = encode(randomMask(9, 7, rng(3)), 9, 7);
  assert.deepEqual(dilate(m, 0), m);
  assert.throws(() => dilate(m, -1), /integer >= 0/);
  assert.throws(() => dilate(m, 1.5), /integer >= 0/);
});

test('DP2 radius: int(sqrt(288 * 160) * 0.02) = 4 crop pixels, scaled to the crop in the image', () => {
  assert.equal(DP2_CROP_RADIUS, 4); // sqrt(46080) = 214.66, * 0.02 = 4.29, int() -> 4
  // a crop of exactly 288x160 image pixels is not resized: 4
  assert.equal(dp2DilationRadius([0, 0, 160, 288]), 4);
  // twice the size: 8; half: 2
  assert.equal(dp2DilationRadius([10, 20, 330, 596]), 8);
  assert.equal(dp2DilationRadius([-5, -5, 75, 139]), 2);
  // 25x43 (area 1075): 4 * sqrt(1075 / 46080) = 0.611 -> 1
  assert.equal(dp2DilationRadius([8, 7, 33, 50]), 1);
  // 20x36 (area 720): 4 * 0.125 = 0.5 -> rounds half up to 1; 19x36: 0.487 -> 0
  assert.equal(dp2DilationRadius([0, 0, 20, 36]), 1);
  assert.equal(dp2DilationRadius([0, 0, 19, 36]), 0);
  assert.throws(() => dp2DilationRadius([5, 5, 5, 9]), /empty crop/);
});
