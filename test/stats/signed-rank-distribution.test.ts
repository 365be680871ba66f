import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRankPmf } from '../../lib/stats/signed-rank-distribution.ts';

test('signedRankPmf counts the subsets of {1..n} with each sum', () => {
  assert.deepEqual(Array.from(signedRankPmf(0)), [1]);
  assert.deepEqual(Array.from(signedRankPmf(1)), [0.5, 0.5]);
  // n = 3: sums 0,1,2,3,4,5,6 arise from 1,1,1,2,1,1,1 of the 8 subsets
  assert.deepEqual(Array.from(signedRankPmf(3), (p) => p * 8), [1, 1, 1, 2, 1, 1, 1]);
  // n = 4: 1,1,1,2,2,2,2,2,1,1,1 of 16
  assert.deepEqual(Array.from(signedRankPmf(4), (p) => p * 16), [1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1]);
});

test('signedRankPmf against brute-force enumeration, and it sums to 1', () => {
  for (const n of [5, 9, 12]) {
    const counts = new Array((n * (n + 1)) / 2 + 1).fill(0);
    for (let mask = 0; mask < 2 ** n; mask++) {
      let s = 0;
      for (let j = 0; j < n; j++) if (mask & (1 << j)) s += j + 1;
      counts[s]++;
    }
    assert.deepEqual(Array.from(signedRankPmf(n)), counts.map((c) => c / 2 ** n));
  }
  assert.equal(signedRankPmf(50).reduce((a, b) => a + b, 0), 1);
  assert.throws(() => signedRankPmf(-1), /non-negative integer/);
});
