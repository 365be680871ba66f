// Exact null distribution of the Mann-Whitney U statistic for samples of sizes m and n without ties.
// f(m, n, k), the number of arrangements with U = k, obeys (Mann & Whitney 1947; Di Bucchianico 1999,
// Theorem 2.5, the recursion scipy 1.10's _mwu_state uses)
//   f(m, n, k) = f(m - 1, n, k - n) + f(m, n - 1, k),   f(·, ·, 0) = 1,   f = 0 for k < 0 or k > mn,
// and P(U = k) = f(m, n, k) / C(m + n, m). The counts are integers added exactly while below 2^53.

/** C(a + b, a) as a double: exact while it is below 2^53. */
function binomial(a: number, b: number): number {
  const k = Math.min(a, b);
  const top = a + b;
  let r = 1;
  // r = C(top - k + i, i) after step i: an integer at every step
  for (let i = 1; i <= k; i++) r = (r * (top - k + i)) / i;
  return r < 2 ** 53 ? Math.round(r) : r;
}

/** Counts f(m, n, k) for k = 0 .. kMax. */
function uCounts(m: number, n: number, kMax: number): Float64Array {
  // The distribution is symmetric in (m, n); keep the layer count small.
  if (m > n) [m, n] = [n, m];
  const len = kMax + 1;
  // layer[mi] holds f(mi, nj, ·) for the current nj; start at nj = 0: f(mi, 0, k) = [k == 0]
  const layer: Float64Array[] = [];
  for (let mi = 0; mi <= m; mi++) {
    const a = new Float64Array(len);
    a[0] = 1;
    layer.push(a);
  }
  for (let nj = 1; nj <= n; nj++) {
    // f(mi, nj, k) = f(mi - 1, nj, k - nj) + f(mi, nj - 1, k); layer[mi - 1] already holds nj
    for (let mi = 1; mi <= m; mi++) {
      const cur = layer[mi]!;
      const below = layer[mi - 1]!;
      const top = Math.min(kMax, mi * nj);
      for (let k = top; k >= nj; k--) cur[k] = cur[k]! + below[k - nj]!;
    }
  }
  return layer[m]!;
}

/**
 * P(U >= k) for sizes m, n, computed as scipy 1.10 does: by symmetry it is P(U <= mn - k), the running
 * sum of P(U = j) for j = 0 .. mn - k. `k` must be an integer in 0 .. mn.
 */
export function uSf(k: number, m: number, n: number): number {
  if (!Number.isInteger(k) || k < 0 || k > m * n) throw new RangeError(`uSf: k must be an integer in [0, ${m * n}], got ${k}`);
  const kMax = m * n - k;
  const f = uCounts(m, n, kMax);
  const total = binomial(m, n);
  let cdf = 0;
  for (let j = 0; j <= kMax; j++) cdf += f[j]! / total;
  return cdf;
}
