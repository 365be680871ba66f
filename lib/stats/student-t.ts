// Student's t distribution with ν > 0 (real) degrees of freedom: CDF and survival function, accurate in
// both tails (scipy.special.stdtr(ν, t), what scipy.stats' t-tests evaluate their p-values with).
//
// P(|T| >= |t|) = I_x(ν/2, 1/2) with x = ν/(ν + t²), and P(|T| < |t|) = I_{1-x}(1/2, ν/2), 1 - x =
// t²/(ν + t²); lib/stats/incomplete-beta.ts gives both, the smaller one directly, so that
//   CDF(t) = P(|T| >= |t|)/2 for t < 0, and 1/2 + P(|T| < |t|)/2 for t >= 0.
// With ν >= 30, x > 1/2 and ν(1 - x) > 0.98 the tail comes from the large-a expansion of
// lib/stats/incomplete-beta-large-a.ts instead (TOMS 708's choice), which keeps its digits there.
// x and 1 - x are formed from r = ν/t² (or t²/ν) as r/(1 + r) and 1/(1 + r), so that neither suffers
// cancellation and t² does not overflow; where ν/t² < 1e-200 the tail is the leading term of the
// incomplete beta's power series, x^(ν/2) / ((ν/2) B(ν/2, 1/2)), taken in logarithms.
// ν = ∞ is the standard normal; ν <= 0 or NaN gives NaN, as scipy does. jstat's studentt.cdf is off
// by up to 1e-7 relative (its gammaln is a 6-term Lanczos series), hence this file.

import { betaIncPair } from './incomplete-beta.ts';
import { betaIncHalfLargeA } from './incomplete-beta-large-a.ts';
import { logBeta } from './log-beta.ts';
import { normCdf } from './normal.ts';

/** P(T <= t) for Student's t with `df` degrees of freedom (scipy.special.stdtr(df, t)). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || !(df > 0)) return NaN;
  if (df === Infinity) return normCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (t === 0) return 0.5;
  const at = Math.abs(t);
  const a = df / 2;
  const logR = Math.log(df) - 2 * Math.log(at);
  if (logR < -460) {
    // x = ν/(ν + t²) below 1e-200 (where ν/t² would go subnormal): I_x(a, 1/2) = x^a / (a B(a, 1/2)) (1 + O(x))
    const tail = Math.exp(a * logR - Math.log(a) - logBeta(a, 0.5)) / 2;
    return t < 0 ? tail : 1 - tail;
  }
  let x: number;
  let y: number;
  if (at > Math.sqrt(df)) {
    const r = df / at / at;
    x = r / (1 + r);
    y = 1 / (1 + r);
  } else {
    const r = (at / df) * at;
    x = 1 / (1 + r);
    y = r / (1 + r);
  }
  let outside: number;
  let inside: number;
  if (a >= 15 && y < 0.5 && a * y > 0.49) {
    outside = betaIncHalfLargeA(a, x, y);
    inside = 1 - outside;
  } else {
    ({ p: outside, q: inside } = betaIncPair(a, 0.5, x, y));
  }
  return t < 0 ? outside / 2 : 0.5 + inside / 2;
}

/** P(T > t) = CDF(-t) (scipy.stats.t.sf(t, df)). */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df);
}
