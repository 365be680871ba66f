// Mask IoU (pycocotools rleIou). Hand-worked goldens, the -1 / 0 conventions, and agreement with
// IoUs counted on decoded pixels for random masks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area, decode, encode, frBbox, frPoly, iou, pairIou } from '../../../lib/data/masks/index.ts';
import type { Rle } from '../../../lib/data/types.ts';
import { grid, randomMask, rng } from './pixels.ts';

const g = (r: string[]): Rle => {
  const x = grid(r);
  return encode(x.mask, x.h, x.w);
};

test('hand-worked IoUs', () => {
  const A = g(['##..', '##..', '....', '....']); // 4 px
  const B = g(['.##.', '.##.', '....', '....']); // 4 px, 2 shared
  assert.deepEqual(Array.from(iou([A], [B], [0])), [2 / 6]);
  assert.deepEqual(Array.from(iou([A], [B], [1])), [2 / 4]); // crowd: inter / area(dt)
  assert.deepEqual(Array.from(iou([A], [A], [0])), [1]);
  // crowd gt covering the whole image: the dt is fully inside -> 1, though its plain IoU is 4/16
  const full = g(['####', '####', '####', '####']);
  assert.deepEqual(Array.from(iou([A], [full], [1])), [1]);
  assert.deepEqual(Array.from(iou([A], [full], [0])), [4 / 16]);
  // a 1-px line crossing a 1-px column at one pixel: 1 / (4 + 4 - 1)
  const row = g(['....', '####', '....', '....']);
  const col = g(['.#..', '.#..', '.#..', '.#..']);
  assert.deepEqual(Array.from(iou([row], [col], [0])), [1 / 7]);
});

test('empty masks and the pycocotools conventions', () => {
  const empty = g(['....', '....']);
  const some = g(['.#..', '....']);
  // empty boxes never overlap: 0 (also empty vs empty, and with crowd)
  assert.deepEqual(Array.from(iou([empty], [some], [0])), [0]);
  assert.deepEqual(Array.from(iou([some], [empty], [1])), [0]);
  assert.deepEqual(Array.from(iou([empty], [empty], [0])), [0]);
  // boxes overlap but the masks do not: intersection 0 -> union taken as 1 -> 0
  const diag = g(['#.', '.#']);
  const anti = g(['.#', '#.']);
  assert.deepEqual(Array.from(iou([diag], [anti], [0])), [0]);
  assert.deepEqual(Array.from(iou([diag], [anti], [1])), [0]);
  // different image sizes with overlapping boxes: -1; with disjoint boxes: 0 (box test comes first)
  const big = g(['##.', '##.', '...']);
  assert.deepEqual(Array.from(iou([diag], [big], [0])), [-1]);
  assert.deepEqual(Array.from(iou([diag], [big], [1])), [-1]);
  const far = g(['...', '...', '..#']);
  assert.deepEqual(Array.from(iou([diag], [far], [0])), [0]);
  // no dt or no gt: empty result
  assert.equal(iou([], [diag], [0]).length, 0);
  assert.equal(iou([diag], [], []).length, 0);
});

test('row-major dt x gt layout and iscrowd handling', () => {
  const A = frBbox([0, 0, 2, 2], 4, 4);
  const B = frBbox([1, 0, 2, 2], 4, 4);
  const C = frBbox([3, 3, 1, 1], 4, 4);
  const o = iou([A, B], [A, B, C], [0, true, 0]);
  assert.deepEqual(Array.from(o), [1, 2 / 4, 0, 2 / 6, 1, 0]);
  assert.deepEqual(Array.from(iou([A, B], [A, B, C], [])), [1, 2 / 6, 0, 2 / 6, 1, 0]);
  assert.throws(() => iou([A], [A, B], [0]), RangeError);
  // malformed RLE (counts do not sum to h*w) is refused rather than looping
  assert.throws(() => iou([{ h: 2, w: 2, counts: Uint32Array.of(1, 1) }], [A], [0]), RangeError);
});

test('agrees with IoU counted on decoded pixels (random masks)', () => {
  const rand = rng(4);
  const h = 19, w = 23;
  const dts: Rle[] = [], gts: Rle[] = [];
  for (let k = 0; k < 12; k++) dts.push(encode(randomMask(h, w, rand, 0.4), h, w));
  for (let k = 0; k < 8; k++) gts.push(encode(randomMask(h, w, rand, 0.4), h, w));
  dts.push(encode(new Uint8Array(h * w), h, w)); // an empty detection
  const crowd = gts.map((_, i) => (i % 3 === 0 ? 1 : 0));
  const o = iou(dts, gts, crowd);
  for (let d = 0; d < dts.length; d++) {
    const md = decode(dts[d]);
    for (let j = 0; j < gts.length; j++) {
      const mg = decode(gts[j]);
      let inter = 0, uni = 0;
      for (let i = 0; i < h * w; i++) {
        inter += md[i] & mg[i];
        uni += md[i] | mg[i];
      }
      const expected = inter === 0 ? 0 : inter / (crowd[j] ? area(dts[d]) : uni);
      assert.equal(o[d * gts.length + j], expected, `dt ${d} gt ${j}`);
    }
  }
});

test('RLEs with zero-length runs after the first follow the C walk, early stop included', () => {
  // h=3, w=2: runs 2 (0s), 0 (1s), 1 (0s), 3 (1s): pixels 3..5 (column 1). Worked through the C
  // loop: the first step consumes 2 from both, both then load their zero-length 1-run, ct = 0
  // and the loop ends with i = 0 -> 0, although the masks are identical.
  const A = { h: 3, w: 2, counts: Uint32Array.of(2, 0, 1, 3) };
  assert.deepEqual(Array.from(iou([A], [A], [0])), [0]);
  // against the canonical form of the same mask the walk runs to the end: i = u = 3 -> 1
  const B = { h: 3, w: 2, counts: Uint32Array.of(3, 3) };
  assert.deepEqual(Array.from(iou([A], [B], [0])), [1]);
  assert.deepEqual(Array.from(iou([B], [A], [1])), [1]);
});

test('the run-intersection path equals the C walk (pairIou) exactly', () => {
  const rand = rng(8);
  const h = 60, w = 80;
  const poly = () => {
    const cx = rand() * w, cy = rand() * h, r = 3 + rand() * 30;
    const xy: number[] = [];
    const k = 5 + Math.floor(rand() * 12);
    for (let i = 0; i < k; i++) {
      const a = (i / k) * 2 * Math.PI, rr = r * (0.3 + 0.7 * rand());
      xy.push(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
    }
    return frPoly(xy, h, w);
  };
  const dts = Array.from({ length: 40 }, poly);
  const gts = Array.from({ length: 15 }, poly);
  const crowd = gts.map((_, i) => i % 4 === 1);
  const o = iou(dts, gts, crowd);
  let walked = 0;
  for (let d = 0; d < dts.length; d++) {
    for (let g = 0; g < gts.length; g++) {
      const v = o[d * gts.length + g];
      if (v > 0 || v === 0) {
        if (v > 0) walked++;
        const ref = v > 0 ? pairIou(dts[d].counts, gts[g].counts, crowd[g]) : 0;
        assert.ok(Object.is(v, ref), `dt ${d} gt ${g}: ${v} vs ${ref}`);
      }
    }
  }
  assert.ok(walked > 50, `only ${walked} overlapping pairs`);
});
