// Golden values from numpy 1.24.2 / scipy 1.10.1 on Debian 12: float(np.sum(a)), float(np.mean(a)) and
// float(scipy.stats._stats_py._var(np.array(a), ddof=1)); compared for equality (bit for bit). The
// sequential sums are printed beside them to show that the cases tell the two summations apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpyMean, numpySum, scipyVar } from '../../lib/stats/numpy-moments.ts';

const TEN = [685.057, -134144.231, 18512.843, 133.518, -106.124, -26.61, 9614.986, -602.778, -1362.848, -5.249];
const SEVENTEEN = [-60.727, 7.508, 0.419, 30.865, 1.4, 1.028, -55325.934, -7.225, 8842.297, -6599.517, 20378.568, 51367.251, 1.068, 55487.056, 1483.631, -41991.153, 0.71];
/** np.array([((i * 7919) % 1009 - 504) / 7 * 10.0 ** (i % 5) for i in range(n)]) */
const formula = (n: number) => Array.from({ length: n }, (_, i) => ((((i * 7919) % 1009) - 504) / 7) * 10 ** (i % 5));

test('np.sum: pairwise summation in blocks of 8 and halves above 128, bit for bit', () => {
  assert.equal(numpySum(TEN), -107301.43599999999); // sequential: -107301.436
  assert.equal(numpySum(SEVENTEEN), 33617.245); // sequential: 33617.244999999995
  assert.equal(numpySum(Array(10).fill(0.1)), 1.0); // sequential: 0.9999999999999999
  assert.equal(numpySum(formula(1000)), -1256269.7142857148); // sequential: -1256269.714285716
  assert.equal(numpySum(formula(300)), -360637.2857142857);
  assert.equal(numpySum([]), 0);
  assert.equal(numpySum([-0]), 0);
});

test('np.mean and scipy _var(ddof=1), bit for bit; a near-constant sample keeps its tiny variance', () => {
  assert.equal(numpyMean(TEN), -10730.1436);
  assert.equal(scipyVar(TEN), 1920134225.5137153);
  assert.equal(numpyMean(SEVENTEEN), 1977.4850000000001);
  assert.equal(scipyVar(SEVENTEEN), 688398622.107867);
  assert.equal(numpyMean(formula(1000)), -1256.2697142857148);
  assert.equal(scipyVar(formula(1000)), 34714572119.81609);
  assert.equal(numpyMean(formula(300)), -1202.1242857142856);
  assert.equal(scipyVar(formula(300)), 34233847560.025253);
  assert.equal(numpyMean([0.1, 0.1, 0.1]), 0.10000000000000002);
  assert.equal(scipyVar([0.1, 0.1, 0.1]), 2.8888949165808538e-34);
  // n = ddof: 0 · n/(n - 1) = 0 · inf
  assert.ok(Number.isNaN(scipyVar([3])));
  assert.ok(Number.isNaN(numpyMean([])) && Number.isNaN(scipyVar([])));
});
