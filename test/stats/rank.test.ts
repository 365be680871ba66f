// Golden values from scipy.stats.rankdata (scipy 1.10.1, Debian 12), method 'average'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankAverage, tieGroupSizes } from '../../lib/stats/rank.ts';

test('rankAverage matches scipy.stats.rankdata(a) with ties averaged', () => {
  // rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
  assert.deepEqual(Array.from(rankAverage([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])), [4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8]);
  // rankdata([0.0, -0.0, 2, 2, 2, -1]): -0 and 0 tie
  assert.deepEqual(Array.from(rankAverage([0, -0, 2, 2, 2, -1])), [2.5, 2.5, 5, 5, 5, 1]);
  assert.deepEqual(Array.from(rankAverage([])), []);
  assert.deepEqual(Array.from(rankAverage([7])), [1]);
  assert.throws(() => rankAverage([1, NaN]), /NaN/);
});

test('tieGroupSizes counts equal values', () => {
  assert.deepEqual(tieGroupSizes([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]), [2, 1, 2, 1, 3, 1, 1]);
  assert.deepEqual(tieGroupSizes([]), []);
});
