// Exact null distribution of the Wilcoxon signed-rank statistic r_plus for n distinct, non-zero
// differences: each of the 2^n sign patterns is equally likely, so P(r_plus = k) is the number of
// subsets of {1..n} summing to k, divided by 2^n. Built one rank at a time: with rank j added,
// a sum k arises from k (j negative) or k - j (j positive), each with probability 1/2.
// scipy 1.10 (_hypotests._get_wilcoxon_distr) uses the same halving recursion, so the doubles agree
// bit for bit (for n <= 50 every probability is an exact multiple of 2^-n).

/** P(r_plus = k) for k = 0 .. n(n+1)/2. */
export function signedRankPmf(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`signedRankPmf: n must be a non-negative integer, got ${n}`);
  let c = new Float64Array([1]);
  for (let j = 1; j <= n; j++) {
    const next = new Float64Array((j * (j + 1)) / 2 + 1);
    for (let k = 0; k < c.length; k++) {
      const half = c[k]! * 0.5;
      next[k] = next[k]! + half;
      next[k + j] = next[k + j]! + half;
    }
    c = next;
  }
  return c;
}
