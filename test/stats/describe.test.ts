// Golden values from numpy 1.24.2 / scipy 1.10.1 on Debian 12: numpy.mean(a), numpy.std(a, ddof=1),
// scipy.stats.sem(a). Relative tolerance 1e-12 (summation order differs from numpy's pairwise sum).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, mean, sem, std } from '../../lib/stats/describe.ts';
import { close } from './close.ts';

const CASES: [number[], number, number, number][] = [
  [[0.712, 0.698, 0.731], 0.7136666666666667, 0.01656301099840647, 0.00956265885852071],
  [[1000000001, 1000000002, 1000000003, 1000000004], 1000000002.5, 1.2909944487358056, 0.6454972243679028],
  [
    [36.491, 39.865, 40.625, 49.82, 38.08, 42.687, 31.436, 39.498, 38.394, 33.558, 35.147, 36.773, 36.09, 30.511, 38.381, 39.505, 38.469, 44.072, 39.145, 40.496, 39.82, 40.584, 34.702, 38.565, 48.96],
    38.86696, 4.465071504466643, 0.8930143008933286,
  ],
];

test('mean, std (ddof 1) and sem match numpy and scipy.stats.sem', () => {
  for (const [xs, m, sd, se] of CASES) {
    close(mean(xs), m, 1e-12, `mean(${xs.length} values)`);
    close(std(xs), sd, 1e-12, `std(${xs.length} values)`);
    close(sem(xs), se, 1e-12, `sem(${xs.length} values)`);
    const d = describe(xs);
    assert.equal(d.n, xs.length);
    assert.deepEqual([d.mean, d.sd, d.se], [mean(xs), std(xs), sem(xs)]);
  }
});

test('n = 1 and n = 0 give NaN where numpy does', () => {
  // numpy.std([3.5], ddof=1) -> nan, scipy.stats.sem([3.5]) -> nan, numpy.mean([]) -> nan
  assert.equal(mean([3.5]), 3.5);
  assert.ok(Number.isNaN(std([3.5])) && Number.isNaN(sem([3.5])));
  assert.ok(Number.isNaN(mean([])) && Number.isNaN(std([])));
  assert.equal(std([1, 2, 3, 4], 0), Math.sqrt(1.25));
});
