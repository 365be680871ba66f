// Golden values from numpy 1.24.2 on Debian 12: float(np.percentile(v, q)) (method 'linear'), compared
// for equality. V is np.round(default_rng(3).normal(0, 1, 11), 6); W the formula below, 10,000 values.
// q = 2.500000000000002 is what scipy.stats.bootstrap passes for a 95% interval: (1 - 0.95)/2·100.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile } from '../../lib/stats/percentile.ts';

const V = [2.040919, -2.555665, 0.418099, -0.56777, -0.452649, -0.215597, -2.019986, -0.231932, -0.865213, 3.323, 0.225787];
/** [((i * 7919) % 10007) / 10007 * 3.7 - 1.1 for i in range(10000)] */
const W = Array.from({ length: 10000 }, (_, i) => (((i * 7919) % 10007) / 10007) * 3.7 - 1.1);

test('np.percentile, linear interpolation, bit for bit', () => {
  const cases: [number[], number, number][] = [
    [V, 0, -2.555665],
    [V, 2.500000000000002, -2.42174525],
    [V, 25, -0.7164915000000001],
    [V, 50, -0.231932],
    [V, 97.5, 3.00247975],
    [V, 99.99, 3.3217179189999984],
    [V, 100, 3.323],
    [W, 2.500000000000002, -1.0075739482362347],
    [W, 97.5, 2.5072042070550618],
    [W, 4.999999999999999, -0.9147781552912962],
    [W, 33.3, 0.132224233036874],
    [[1, 2], 50, 1.5],
    // γ = 0.7 >= 1/2: b - (b - a)(1 - γ)
    [[0.1, 0.7], 70, 0.5199999999999999],
  ];
  for (const [values, q, expected] of cases) assert.equal(percentile(values, q), expected, `percentile(${values.length} values, ${q})`);
  assert.equal(percentile([5], 30), 5);
  assert.ok(Number.isNaN(percentile([1, NaN, 3], 50)), 'NaN propagates');
  assert.throws(() => percentile([], 50), /empty/);
  assert.throws(() => percentile([1], 101), /\[0, 100\]/);
});
