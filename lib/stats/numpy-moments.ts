// Sum, mean and variance of a float64 sample rounded exactly as numpy and scipy.stats 1.10 round them,
// so that a statistic built on them (Welch's t) agrees with scipy to the last bit, near-degenerate
// samples included: the mean of [0.1, 0.1, 0.1] is 0.10000000000000002 in numpy, its deviations are
// not zero, and scipy's t for it is large and finite, not infinite.
//
//   - numpySum: numpy's pairwise summation of a contiguous float64 array (np.add.reduce,
//     numpy/core/src/umath/loops_utils.h.src): below 8 values a plain loop from 0; up to 128 values
//     eight running sums over blocks of 8, combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)),
//     then the remainder added one by one; above 128 the halves (the first a multiple of 8) summed
//     recursively and added;
//   - numpyMean: numpySum / n (np.mean);
//   - scipyVar: scipy.stats._stats_py._var(a, ddof): the mean of the squared deviations from
//     numpyMean, multiplied by n / (n - ddof) (NaN for n = ddof: 0 · inf).

const BLOCK = 128;

function pairwise(a: ArrayLike<number>, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i]!;
    return res;
  }
  if (n <= BLOCK) {
    const r = [a[lo]!, a[lo + 1]!, a[lo + 2]!, a[lo + 3]!, a[lo + 4]!, a[lo + 5]!, a[lo + 6]!, a[lo + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[lo + i + j]!;
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[lo + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
}

/** np.sum of a float64 array, bit for bit (pairwise summation). */
export function numpySum(a: ArrayLike<number>): number {
  return pairwise(a, 0, a.length);
}

/** np.mean of a float64 array, bit for bit; NaN for an empty array. */
export function numpyMean(a: ArrayLike<number>): number {
  return numpySum(a) / a.length;
}

/** scipy.stats 1.10's internal _var(a, ddof): mean((a - mean(a))²) · n / (n - ddof), bit for bit. */
export function scipyVar(a: ArrayLike<number>, ddof = 1): number {
  const n = a.length;
  if (n === 0) return NaN;
  const m = numpyMean(a);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - m;
    s[i] = d * d;
  }
  return numpyMean(s) * (n / (n - ddof));
}
