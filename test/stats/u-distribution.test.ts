import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uSf } from '../../lib/stats/u-distribution.ts';

/** P(U >= k) by enumerating which of the m + n pooled ranks belong to x. */
function bruteSf(k: number, m: number, n: number): number {
  let hit = 0;
  let total = 0;
  for (let mask = 0; mask < 2 ** (m + n); mask++) {
    let bits = 0;
    let r1 = 0;
    for (let j = 0; j < m + n; j++) if (mask & (1 << j)) { bits++; r1 += j + 1; }
    if (bits !== m) continue;
    total++;
    if (r1 - (m * (m + 1)) / 2 >= k) hit++;
  }
  return hit / total;
}

test('uSf equals enumeration over all arrangements', () => {
  for (const [m, n] of [[1, 1], [2, 3], [4, 3], [5, 6], [1, 9]] as const) {
    for (let k = 0; k <= m * n; k++) {
      const want = bruteSf(k, m, n);
      assert.ok(Math.abs(uSf(k, m, n) - want) <= 1e-15 * want, `P(U >= ${k}) for m=${m}, n=${n}`);
    }
  }
});

test('uSf at the ends and its argument check', () => {
  // scipy 1.10.1: _mwu_state.sf(0, 7, 5) -> 0.9999999999999999 (a running sum of pmf values, as here)
  assert.equal(uSf(0, 7, 5), 0.9999999999999999);
  // P(U >= mn) = 1 / C(m + n, m)
  assert.equal(uSf(35, 7, 5), 1 / 792);
  assert.throws(() => uSf(36, 7, 5), /integer in \[0, 35\]/);
  assert.throws(() => uSf(1.5, 7, 5), /integer/);
});
