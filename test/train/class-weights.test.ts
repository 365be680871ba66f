import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classCounts, enetWeights } from '../../lib/train/class-weights.ts';
import { weightedCrossEntropySum } from '../../lib/train/objectives.ts';
import { crossEntropySum } from '../../lib/train/loss.ts';
import * as tf from '@tensorflow/tfjs';

test('classCounts: labelled pixels per class, 255 skipped, out-of-range labels refused', () => {
  const counts = classCounts([new Uint8Array([0, 0, 1, 255]), new Uint8Array([2, 0, 1, 1])], 4);
  assert.deepEqual([...counts], [3, 3, 1, 0]);
  assert.throws(() => classCounts([new Uint8Array([4])], 4), /label 4/);
});

test('enetWeights: 1 / ln(1.02 + p)', () => {
  // goldens: Python math, 1/math.log(1.02 + p) for p = 0.5, 0.3, 0.2, 0
  const w = enetWeights([50, 30, 20, 0]);
  const expected = [2.388285926447683, 3.60189368929012, 5.02889455097369, 50.4983497918439];
  w.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5 * expected[i], `${i}: ${v}`));
});

test('weightedCrossEntropySum: equals the plain sum with unit weights, scales per class', async () => {
  await tf.setBackend('cpu');
  const logits = tf.tensor4d([1, 2, 0.5, -1, 0, 3, 2, 2, 0], [1, 1, 3, 3]);
  const index = new Int32Array([1, -1, 2]);
  const plain = crossEntropySum(logits, index).dataSync()[0];
  const unit = weightedCrossEntropySum(logits, index, new Float32Array([1, 1, 1])).dataSync()[0];
  assert.ok(Math.abs(plain - unit) < 1e-5);
  // pixel 0 (class 1): lse(1, 2, 0.5) - 2; pixel 2 (class 2): lse(2, 2, 0) - 0
  const lse = (a: number[]) => Math.log(a.reduce((s, x) => s + Math.exp(x), 0));
  const weighted = weightedCrossEntropySum(logits, index, new Float32Array([1, 3, 0.5])).dataSync()[0];
  assert.ok(Math.abs(weighted - (3 * (lse([1, 2, 0.5]) - 2) + 0.5 * lse([2, 2, 0]))) < 1e-5);
});
