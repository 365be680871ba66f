import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inpaint } from '../../lib/anonymize/inpaint.ts';
import { differingPixels, fromBase64, lcgImage, maskFrom, regionBytes, scrambleRegion } from './fixtures.ts';

// Goldens: cv2.inpaint(img, mask, radius, cv2.INPAINT_TELEA) (OpenCV 4.6.0), the region's bytes in
// raster order (outside the region OpenCV returns the input).
//   noise:  img = lcg_bytes(41, 20*24*3).reshape(20, 24, 3); mask (y-10)^2/9 + (x-12)^2/16 <= 1; radius 5
const NOISE = 'lZSifniMh5aDjo6RmX2Zl6qKc4Vze4F9hIiEiYqKjouMi5ePiZafdpObepKUfo+LgYyJhomGhIyEhIZ/gIFzb3Beap+VcJKLd4qEiYKGk3+DkIyBipx3ZpJ/aIF5jH2Gn2h7oXeImH+W';
//   smooth: 28x32, pixel (y, x) = ((7x + y) % 256, 9y % 256, (200 - 3x - 2y) % 256); mask rows 8..19 x cols
//           9..14 plus the disc (y-14)^2 + (x-20)^2 <= 16; radius 3
const SMOOTH =
  'QUGiST6gUjybWjyYYj6UaUCRQ0mgRUWgUEGbX0SUaUWQb0mMQVeeRVCdUU2ZXU2Ua1GNdFiIlE58QWScRl6bU1qWXFmTbl6KeGODgluCi1Z/llJ7m1V4pllzQmuaQmybU2eUXWeRdGyEeWqCfGSDgWCCiVt+lVd5o1xzrV9vsmRrQ3aYQ3WXVHGSX3GOdnWCeXSAe3CBf2t/hmZ+mGh2pmZxs2xqtm5oRH2WRH+VVnuPYHuMd3x/en1+d3qBenx+gHt8jnh3m3typHlwtXtnvHxjvnliRYiURYeUWIWNYYWKeIh+e4V8e4V9go14jI11moZxqY1qt41jvIVhRo+STJWPW5GJYpCIdZR+fI56f5J5hZp1kKBvnZ5rqqBltppfupJfR5qQUaCKWqWGZ6aBc6B8fpl4iaBykqNtn6hnqaVjs6BfSaSNUKyJXLGDarJ9d6x3faN2naxnTK2LU7GGX7WAbLV6c7F5fa11';
//   uniform 128, same 28x32 mask, radius 5: every region byte comes back 128
const noiseImg = lcgImage(41, 24, 20, 3);
const noiseMask = maskFrom(24, 20, (x, y) => (y - 10) ** 2 * 16 + (x - 12) ** 2 * 9 <= 144);
const smooth = {
  width: 32,
  height: 28,
  channels: 3,
  data: Uint8Array.from({ length: 28 * 32 * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    const x = p % 32;
    const y = Math.floor(p / 32);
    return [(7 * x + y) % 256, (9 * y) % 256, (((200 - 3 * x - 2 * y) % 256) + 256) % 256][i % 3]!;
  }),
};
const smoothMask = maskFrom(32, 28, (x, y) => (y >= 8 && y < 20 && x >= 9 && x < 15) || (y - 14) ** 2 + (x - 20) ** 2 <= 16);

test('inpaint equals OpenCV INPAINT_TELEA byte for byte (noise, radius 5)', () => {
  assert.equal(noiseMask.reduce((a, b) => a + b, 0), 35);
  const before = new Uint8Array(noiseImg.data);
  const out = inpaint(noiseImg, noiseMask);
  assert.deepEqual(noiseImg.data, before, 'input not mutated');
  assert.deepEqual(regionBytes(out, noiseMask), fromBase64(NOISE));
  for (const p of differingPixels(noiseImg, out)) assert.equal(noiseMask[p], 1);
});

test('inpaint equals OpenCV INPAINT_TELEA byte for byte (smooth colours, two regions, radius 3)', () => {
  assert.equal(smoothMask.reduce((a, b) => a + b, 0), 121);
  const out = inpaint(smooth, smoothMask, { radius: 3 });
  assert.deepEqual(regionBytes(out, smoothMask), fromBase64(SMOOTH));
  const flat = { width: 32, height: 28, channels: 3, data: new Uint8Array(32 * 28 * 3).fill(128) };
  assert.ok(regionBytes(inpaint(flat, smoothMask), smoothMask).every((v) => v === 128));
});

test('inpaint privacy: the output does not depend on the pixels under the mask, also at the image border', () => {
  const img = lcgImage(42, 30, 22, 3);
  const masks = [
    noiseMask,
    maskFrom(30, 22, (x, y) => x < 6 || y < 2), // first rows and columns
    maskFrom(30, 22, (x, y) => x > 25 && y > 15), // bottom-right corner
    maskFrom(30, 22, (x, y) => (x * 7 + y * 3) % 5 === 0), // scattered pixels
  ];
  for (const m of masks) {
    const im = m === noiseMask ? noiseImg : img;
    const a = inpaint(im, m);
    assert.deepEqual(inpaint(scrambleRegion(im, m, 5), m).data, a.data);
    assert.deepEqual(inpaint(scrambleRegion(im, m, 6), m, { radius: 2 }).data, inpaint(im, m, { radius: 2 }).data);
    for (const p of differingPixels(im, a)) assert.equal(m[p], 1);
  }
});

test('inpaint fills plausibly: a uniform surround comes back within 2 levels, a horizontal ramp is continued', () => {
  const W = 60;
  const H = 40;
  const m = maskFrom(W, H, (x, y) => (x - 30) ** 2 / 100 + (y - 20) ** 2 / 64 <= 1);
  for (const v of [0, 37, 127, 200, 255]) {
    const flat = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3).fill(v) };
    const got = regionBytes(inpaint(flat, m), m);
    // OpenCV's formula adds (Jx + Jy) / |J| + 0.5 before rounding: small float noise can move a level or two
    assert.ok(got.every((g) => Math.abs(g - v) <= 2), `uniform ${v}`);
    assert.ok(Math.abs(got.reduce((a, b) => a + b, 0) / got.length - v) < 1, `uniform ${v} mean`);
  }
  const ramp = { width: W, height: H, channels: 1, data: Uint8Array.from({ length: W * H }, (_, i) => 40 + 3 * (i % W)) };
  const out = inpaint(ramp, m);
  let worst = 0;
  let sumErr = 0;
  let n = 0;
  for (let p = 0; p < m.length; p++) {
    if (!m[p]) continue;
    const e = Math.abs(out.data[p]! - ramp.data[p]!);
    worst = Math.max(worst, e);
    sumErr += e;
    n++;
  }
  // The ramp rises 60 levels across the hole. Telea's fill follows it, flattening it somewhat
  // in the middle (OpenCV gives the same bytes: mean error 5.26, worst 13); a constant fill at
  // the hole's mean would be off by 12.6 on average.
  assert.ok(sumErr / n < 6, `mean error ${sumErr / n}`);
  assert.ok(worst <= 15, `worst error ${worst}`);
  // and increases from left to right along the middle row
  const mid = Array.from({ length: 21 }, (_, i) => out.data[20 * W + 20 + i]!);
  for (let i = 1; i < mid.length; i++) assert.ok(mid[i]! >= mid[i - 1]! - 1, `row 20: ${mid.join(' ')}`);
  assert.ok(mid[20]! - mid[0]! > 45);
});

test('inpaint edge cases: empty mask, whole-image mask, radius rounding', () => {
  const img = lcgImage(43, 8, 6, 3);
  assert.deepEqual(inpaint(img, new Uint8Array(48)).data, img.data);
  assert.ok(inpaint(img, new Uint8Array(48).fill(1)).data.every((v) => v === 0));
  const m = maskFrom(8, 6, (x, y) => x === 4 && y === 3);
  assert.deepEqual(inpaint(img, m, { radius: 2.4 }).data, inpaint(img, m, { radius: 2 }).data);
  assert.deepEqual(inpaint(img, m, { radius: 0 }).data, inpaint(img, m, { radius: 1 }).data);
  assert.throws(() => inpaint(img, new Uint8Array(3)), /mask/);
});
