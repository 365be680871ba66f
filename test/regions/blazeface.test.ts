import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLAZEFACE_ANCHORS, blazefaceAnchors, decodeBlazeface, sigmoid } from '../../lib/regions/blazeface.ts';
import { boxIou, nms } from '../../lib/regions/nms.ts';
import { squareInput } from '../../lib/regions/square-input.ts';

test('anchors: 16x16 cells x 2 at stride 16, then 8x8 cells x 6 at stride 32', () => {
  const a = blazefaceAnchors();
  assert.equal(a.length, 2 * BLAZEFACE_ANCHORS);
  const at = (i: number) => [a[2 * i], a[2 * i + 1]];
  assert.deepEqual(at(0), [8, 8]);
  assert.deepEqual(at(1), [8, 8]);
  assert.deepEqual(at(2), [24, 8]);
  assert.deepEqual(at(32), [8, 24]); // second row of the 16x16 grid
  assert.deepEqual(at(511), [248, 248]);
  assert.deepEqual(at(512), [16, 16]);
  assert.deepEqual(at(517), [16, 16]);
  assert.deepEqual(at(518), [48, 16]);
  assert.deepEqual(at(600), [208, 48]); // 88th of the stride-32 layer: cell 14 = row 1, col 6
  assert.deepEqual(at(895), [240, 240]);
});

test('sigmoid with the logit clipped to [-100, 100]', () => {
  assert.equal(sigmoid(0), 0.5);
  assert.equal(sigmoid(1000), sigmoid(100));
  assert.equal(sigmoid(-1000), sigmoid(-100));
  assert.ok(Math.abs(sigmoid(2) - 0.8807970779778823) < 1e-15);
});

test('decoding: centre = anchor + offset, size as given, landmarks = anchor + offset; score threshold', () => {
  const logits = new Float32Array(BLAZEFACE_ANCHORS).fill(-10);
  const regs = new Float32Array(BLAZEFACE_ANCHORS * 16);
  logits[0] = 2;
  regs.set([1, -2, 20, 30, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], 0);
  logits[600] = 0;
  regs.set([0, 0, 64, 32, -10, -5, 10, -5, 0, 0, 0, 10, -20, 0, 20, 0], 600 * 16);
  const out = decodeBlazeface(logits, regs, 0.5);
  assert.equal(out.length, 2);
  assert.deepEqual([out[0].x0, out[0].y0, out[0].x1, out[0].y1], [-1, -9, 19, 21]); // centre (9, 6), 20 x 30
  assert.ok(Math.abs(out[0].score - sigmoid(2)) < 1e-12);
  assert.deepEqual(out[0].landmarks[2], [10, 10]);
  assert.deepEqual([out[1].x0, out[1].y0, out[1].x1, out[1].y1], [176, 32, 240, 64]); // centre (208, 48), 64 x 32
  assert.equal(out[1].score, 0.5);
  assert.deepEqual(out[1].landmarks[0], [198, 43]);
  assert.equal(decodeBlazeface(logits, regs, 0.6).length, 1);
  assert.throws(() => decodeBlazeface(logits.subarray(1), regs, 0.5), /logits/);
});

test('greedy NMS keeps the best of overlapping boxes, ties in input order', () => {
  const b = (x0: number, score: number) => ({ x0, y0: 0, x1: x0 + 10, y1: 10, score });
  assert.equal(boxIou(b(0, 1), b(5, 1)), 50 / 150);
  const kept = nms([b(0, 0.6), b(2, 0.9), b(30, 0.5), b(5, 0.7)], 0.3);
  // 0.9 at x=2 suppresses x=0 (IoU 80/120) and x=5 (IoU 50/150 = 0.33); x=30 is apart
  assert.deepEqual(
    kept.map((k) => k.x0),
    [2, 30],
  );
  assert.deepEqual(
    nms([b(0, 0.5), b(1, 0.5)], 0.3).map((k) => k.x0),
    [0],
  );
});

test('square input: 1:1 sampling copies pixels; outside the image is black; values in [-1, 1]', () => {
  const img = { width: 4, height: 4, channels: 3, data: new Uint8Array(48) };
  for (let i = 0; i < 16; i++) img.data.set([i * 10, 255, 0], i * 3);
  const out = squareInput(img, { ox: 0, oy: 0, side: 4 }, 4);
  for (let i = 0; i < 16; i++) {
    assert.ok(Math.abs(out[i * 3] - ((i * 10) / 127.5 - 1)) < 1e-6);
    assert.equal(out[i * 3 + 1], 1);
    assert.equal(out[i * 3 + 2], -1);
  }
  // a window twice the image, starting 4 px left/up: the image fills the lower-right quarter
  const big = squareInput(img, { ox: -4, oy: -4, side: 8 }, 8);
  assert.equal(big[0], -1); // (0, 0) is outside
  assert.ok(Math.abs(big[(7 * 8 + 7) * 3] - (150 / 127.5 - 1)) < 1e-6); // (7, 7) = pixel (3, 3) = 150
  // a constant image stays constant when downscaled
  const flat = { width: 30, height: 20, channels: 1, data: new Uint8Array(600).fill(51) };
  const d = squareInput(flat, { ox: 5, oy: 0, side: 20 }, 7);
  for (const v of d) assert.ok(Math.abs(v - (51 / 127.5 - 1)) < 1e-6);
});
