// numpy's summation order for float64 arrays. Goldens: np.sum / np.mean (numpy 2.4) of the same
// arrays; a left-to-right sum gives a different last digit for both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpyMean, pairwiseSum } from '../../lib/eval/pairwise-sum.ts';

const values = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 997.0 + (i === 0 ? 1e8 : 0));

test('8 partial sums below 128 values (np.sum of 20 values)', () => {
  const a = values(20);
  assert.equal(pairwiseSum(a), 100000010.64192578); // np.sum
  assert.notEqual(a.reduce((s, v) => s + v, 0), 100000010.64192578); // left to right: ...577
  assert.equal(numpyMean(a), 5000000.532096289); // np.mean
});

test('recursive halves above 128 values (np.sum of 300 values)', () => {
  const a = values(300);
  assert.equal(pairwiseSum(a), 100000150.60180543);
  assert.equal(a.reduce((s, v) => s + v, 0), 100000150.6018054);
  assert.equal(numpyMean(a), 333333.83533935144);
});

test('fewer than 8 values: left to right; empty: 0 and a NaN mean', () => {
  assert.equal(pairwiseSum([0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
  assert.equal(pairwiseSum([]), 0);
  assert.ok(Number.isNaN(numpyMean([])));
});
