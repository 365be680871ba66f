// Floating-point sums in the order numpy adds float64 arrays (np.sum, np.mean on a contiguous
// 1-D array): numpy's pairwise summation, 8 partial sums per block of at most 128 values and a
// recursive split above that, added to the reduction's initial 0. Using the same order makes
// means of many AP values agree with pycocotools to the last bit, not just to rounding.

/** numpy's pairwise sum of a[start .. start + n). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return 0 + block(a, start, n);
}

/** np.mean of a[0 .. n): pairwise sum divided by n (NaN when n is 0, as numpy gives). */
export function numpyMean(a: ArrayLike<number>, n = a.length): number {
  return pairwiseSum(a, 0, n) / n;
}

function block(a: ArrayLike<number>, s: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[s + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[s], r1 = a[s + 1], r2 = a[s + 2], r3 = a[s + 3];
    let r4 = a[s + 4], r5 = a[s + 5], r6 = a[s + 6], r7 = a[s + 7];
    const whole = n - (n % 8);
    let i = 8;
    for (; i < whole; i += 8) {
      r0 += a[s + i];
      r1 += a[s + i + 1];
      r2 += a[s + i + 2];
      r3 += a[s + i + 3];
      r4 += a[s + i + 4];
      r5 += a[s + i + 5];
      r6 += a[s + i + 6];
      r7 += a[s + i + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[s + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return block(a, s, n2) + block(a, s + n2, n - n2);
}
