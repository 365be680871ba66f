// The HM-LO loss pieces: soft histograms sum to 1 and match the hard histogram (exactly on the
// 8-bit grid), W1 agrees with scipy.stats.wasserstein_distance, and the tfjs (differentiable)
// version computes the same numbers as the plain one.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { hardHistogram, hmloLoss, rgbToSV, softHistogram, svHistograms, tfHmloLoss, tfSoftHistogram, w1 } from '../../../lib/anonymize/realistic/hsv-histogram.ts';
import { lcgBytes } from '../fixtures.ts';
import { useWasm } from './helpers.ts';

before(() => useWasm());

const sum = (h: ArrayLike<number>) => Array.from(h).reduce((a, b) => a + b, 0);

test('soft histogram sums to 1; equals the hard histogram on the 8-bit grid; close to it elsewhere', () => {
  const bytes = lcgBytes(3, 3000);
  const { s, v } = rgbToSV(bytes, 1 / 255);
  for (const vals of [s, v]) assert.ok(Math.abs(sum(softHistogram(vals)) - 1) < 1e-12);
  // V of 8-bit pixels lies on the grid j / 255: soft == hard
  const hv = softHistogram(v);
  const hh = hardHistogram(v);
  for (let j = 0; j < 256; j++) assert.ok(Math.abs(hv[j]! - hh[j]!) < 1e-12, `bin ${j}`);
  // S does not: each value's mass moves by under half a bin, so W1 < 0.5 / 255
  const d = w1(softHistogram(s), hardHistogram(s));
  assert.ok(d > 0 && d < 0.5 / 255, `W1(soft, hard) = ${d}`);
  // out-of-range values are clamped
  assert.deepEqual(Array.from(softHistogram([-0.5, 1.5], 4)), [0.5, 0, 0, 0.5]);
  assert.deepEqual(Array.from(softHistogram([0.5], 3)), [0, 1, 0]);
  assert.deepEqual(Array.from(softHistogram([0.25], 3)), [0.5, 0.5, 0]);
});

test('W1 equals scipy.stats.wasserstein_distance', () => {
  // scipy 1.17.1: g = np.linspace(0, 1, 256); a = weights {0: 1, 10: 2, 200: 1}, b = {5: 1, 100: 1, 255: 2}
  // wasserstein_distance(g, g, a / a.sum(), b / b.sum()) = 0.3872549019607843
  const a = new Float64Array(256);
  const b = new Float64Array(256);
  a[0] = 0.25;
  a[10] = 0.5;
  a[200] = 0.25;
  b[5] = 0.25;
  b[100] = 0.25;
  b[255] = 0.5;
  assert.ok(Math.abs(w1(a, b) - 0.3872549019607843) < 1e-14);
  assert.equal(w1(a, a), 0);
  // raw samples: x = (arange(50) * 37 % 101) / 100, y = (arange(60) * 53 % 97) / 96:
  // wasserstein_distance(x, y) = 0.02689583333333333; binned to 256 centres it moves by < 1 / 255
  const x = Array.from({ length: 50 }, (_, i) => ((i * 37) % 101) / 100);
  const y = Array.from({ length: 60 }, (_, i) => ((i * 53) % 97) / 96);
  assert.ok(Math.abs(w1(softHistogram(x), softHistogram(y)) - 0.02689583333333333) < 1 / 255);
});

test('tfjs soft histograms and loss agree with the plain ones', () => {
  const H = 9;
  const W = 7;
  const bytes = lcgBytes(8, H * W * 3);
  const ref = svHistograms(lcgBytes(9, 500 * 3), 1 / 255);
  const rgb = Float32Array.from(bytes, (b) => b / 255);
  const want = hmloLoss(ref, rgb);
  const got = tf.tidy(() => tfHmloLoss(tf.tensor4d(rgb, [1, H, W, 3]), tf.tensor1d(Float32Array.from(ref.s)), tf.tensor1d(Float32Array.from(ref.v))).dataSync()[0]!);
  assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  const vals = Array.from({ length: 20 }, (_, i) => (i * 0.37) % 1);
  const th = tf.tidy(() => Array.from(tfSoftHistogram(tf.tensor2d(vals, [1, 20]), 16).dataSync()));
  const jh = softHistogram(vals, 16);
  th.forEach((v, j) => assert.ok(Math.abs(v - jh[j]!) < 1e-6));
  // gradients reach the pixels
  const g = tf.tidy(() => {
    const x = tf.tensor4d(rgb, [1, H, W, 3]);
    return tf.grad((t: tf.Tensor) => tf.sum(tfHmloLoss(t as tf.Tensor4D, tf.tensor1d(Float32Array.from(ref.s)), tf.tensor1d(Float32Array.from(ref.v)))))(x).abs().sum().dataSync()[0]!;
  });
  assert.ok(g > 0, 'nonzero gradient');
});
