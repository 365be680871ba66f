// The percentile bootstrap of mean(x) - mean(y) against scipy 1.10.1 (Debian 12) on one fixed case:
//   stat = lambda a, b: np.mean(a) - np.mean(b)
//   scipy.stats.bootstrap((X, Y), stat, method='percentile', vectorized=False, paired=False,
//                         confidence_level=0.95, n_resamples=N, random_state=np.random.default_rng(seed))
// N = 1,000,000 (batch 100,000, seed 1): [-0.6983333333333306, -0.17999999999999972], the interval
// the bootstrap converges to; N = 10,000 over seeds 100..199: bounds' standard deviation 0.00325 (low)
// and 0.00384 (high), the Monte-Carlo error of one 10,000-resample interval. Ours must lie within four
// of those (and within four of the proportionally smaller error at 200,000 resamples).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/data/rng.ts';
import { bootstrapMeanDifference } from '../../lib/stats/bootstrap.ts';
import { mean } from '../../lib/stats/describe.ts';

const X = [36.1, 36.4, 36.7, 35.9, 36.2];
const Y = [36.6, 36.7, 36.8, 36.9, 36.5, 36.75];
const SCIPY = { low: -0.6983333333333306, high: -0.17999999999999972 };
const MC_SD = { low: 0.00325, high: 0.00384 };

test('agrees with scipy.stats.bootstrap(method="percentile") within Monte-Carlo error', () => {
  const ci = bootstrapMeanDifference(X, Y);
  assert.ok(Math.abs(ci.low - SCIPY.low) <= 4 * MC_SD.low, `low ${ci.low} vs scipy ${SCIPY.low}`);
  assert.ok(Math.abs(ci.high - SCIPY.high) <= 4 * MC_SD.high, `high ${ci.high} vs scipy ${SCIPY.high}`);
  const scale = Math.sqrt(10000 / 200000);
  const big = bootstrapMeanDifference(X, Y, { resamples: 200000, seed: 'big' });
  assert.ok(Math.abs(big.low - SCIPY.low) <= 4 * MC_SD.low * scale, `low ${big.low} at 200,000 resamples`);
  assert.ok(Math.abs(big.high - SCIPY.high) <= 4 * MC_SD.high * scale, `high ${big.high} at 200,000 resamples`);
});

test('deterministic for a seed; another seed draws other resamples', () => {
  const a = bootstrapMeanDifference(X, Y, { seed: 7 });
  assert.deepEqual(bootstrapMeanDifference(X, Y, { seed: 7 }), a);
  assert.deepEqual(bootstrapMeanDifference(X, Y), bootstrapMeanDifference(X, Y, { seed: 0 }), 'seed 0 by default');
  assert.notDeepEqual(bootstrapMeanDifference(X, Y, { seed: 8 }), a);
  assert.notDeepEqual(bootstrapMeanDifference(X, Y, { seed: '7' + 'x' }), a);
});

test('bounds: ordered, around the observed difference, nested by level; constant samples give a point', () => {
  const d = mean(X) - mean(Y);
  const ci95 = bootstrapMeanDifference(X, Y, { seed: 3 });
  const ci80 = bootstrapMeanDifference(X, Y, { seed: 3, confidenceLevel: 0.8 });
  assert.ok(ci95.low < d && d < ci95.high, `${ci95.low} < ${d} < ${ci95.high}`);
  // the same resamples at a lower level: an interval inside the other
  assert.ok(ci95.low <= ci80.low && ci80.low < ci80.high && ci80.high <= ci95.high);
  // every resample of a constant sample has its mean
  assert.deepEqual(bootstrapMeanDifference([2, 2, 2], [0.5, 0.5]), { low: 1.5, high: 1.5 });
  // two copies of one sample: an interval around 0
  const one = bootstrapMeanDifference([1, 2, 3, 4], [1, 2, 3, 4], { seed: 5 });
  assert.ok(one.low < 0 && one.high > 0 && one.low <= one.high);
});

test('coverage: known differences of normal means fall inside about 95% of the intervals', () => {
  // 200 data sets of 12 + 12 normal values (difference of means 1.5, sd 1 and 2), 2,000 resamples each
  const rng = new Rng('bootstrap coverage');
  let covered = 0;
  const sets = 200;
  for (let k = 0; k < sets; k++) {
    const x = Array.from({ length: 12 }, () => rng.normal(1.5, 1));
    const y = Array.from({ length: 12 }, () => rng.normal(0, 2));
    const ci = bootstrapMeanDifference(x, y, { resamples: 2000, seed: k });
    assert.ok(ci.low <= ci.high);
    if (ci.low <= 1.5 && 1.5 <= ci.high) covered++;
  }
  // the percentile interval under-covers a little at n = 12 (about 0.92); binomial sd at 200 sets ~0.02
  assert.ok(covered / sets >= 0.85 && covered / sets <= 0.99, `coverage ${covered / sets}`);
});

test('as scipy: two or more values per sample; NaN propagates; bad options are refused', () => {
  assert.throws(() => bootstrapMeanDifference([1], [1, 2]), /x must hold two or more values/);
  assert.throws(() => bootstrapMeanDifference([1, 2], []), /y must hold two or more values/);
  const nan = bootstrapMeanDifference([1, NaN, 3], [1, 2], { resamples: 500 });
  assert.ok(Number.isNaN(nan.low) && Number.isNaN(nan.high));
  assert.throws(() => bootstrapMeanDifference(X, Y, { resamples: 0 }), /positive integer/);
  assert.throws(() => bootstrapMeanDifference(X, Y, { confidenceLevel: 1 }), /\(0, 1\)/);
});
