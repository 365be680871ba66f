import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizeBicubicAA, resizeNearest } from '../../lib/anonymize/resize.ts';
import { lcgBytes } from './fixtures.ts';

// Pillow 9.4: Image.fromarray(lcg_bytes(77, 30).reshape(5, 6).astype(np.float32), 'F')
//   .resize((w, h), Image.BICUBIC), rounded to 4 decimals (Pillow filters float images in float32).
const PIL_4x3 = [77.9371, 108.6316, 121.9764, 119.8359, 144.4888, 137.0105, 110.0521, 128.7283, 82.2595, 126.4511, 163.7072, 156.764];
const PIL_13x11_FIRST_ROWS = [
  60.9813, 61.7057, 61.7434, 74.1516, 107.8064, 136.0816, 141.4728, 143.4722, 165.6114, 181.8002, 135.243, 62.3512, 31.081, 76.6702, 73.0251,
  62.6889, 70.1239, 112.5441, 143.461, 129.1336, 113.5756, 145.3355, 181.0331, 144.3402, 76.2329, 47.3902,
];
const PIL_13x11_LAST = [0.4938, 12.7671, 41.9911, 55.1228, 25.9698, 20.9149, 87.278, 163.8828, 205.1587, 225.2546, 210.5178, 176.352, 162.1471];

const src = { width: 6, height: 5, channels: 1, data: Float64Array.from(lcgBytes(77, 30)) };

test('antialiased bicubic shrink equals Pillow BICUBIC', () => {
  const o = resizeBicubicAA(src, 4, 3);
  assert.equal(o.data.length, 12);
  o.data.forEach((v, i) => assert.ok(Math.abs(v - PIL_4x3[i]!) < 2e-4, `${i}: ${v} vs ${PIL_4x3[i]}`));
});

test('bicubic enlargement equals Pillow BICUBIC (overshoot kept, no clamping)', () => {
  const o = resizeBicubicAA(src, 13, 11);
  PIL_13x11_FIRST_ROWS.forEach((v, i) => assert.ok(Math.abs(o.data[i]! - v) < 2e-4, `${i}`));
  PIL_13x11_LAST.forEach((v, i) => assert.ok(Math.abs(o.data[10 * 13 + i]! - v) < 2e-4, `last row ${i}`));
});

test('resize keeps a constant image constant and interleaved channels apart', () => {
  const c = { width: 7, height: 3, channels: 2, data: new Float64Array(42).map((_, i) => (i % 2 ? 200 : 10)) };
  for (const [w, h] of [[3, 2], [20, 9], [7, 3]] as const) {
    const o = resizeBicubicAA(c, w, h);
    o.data.forEach((v, i) => assert.ok(Math.abs(v - (i % 2 ? 200 : 10)) < 1e-9));
  }
});

test('nearest picks floor(i * in/out)', () => {
  const row = { width: 5, height: 1, channels: 1, data: Float64Array.from([0, 1, 2, 3, 4]) };
  assert.deepEqual([...resizeNearest(row, 8, 1).data], [0, 0, 1, 1, 2, 3, 3, 4]);
  assert.deepEqual([...resizeNearest(row, 2, 1).data], [0, 2]);
});
