// Welch's t-test (unequal variances), as scipy.stats.ttest_ind(a, b, equal_var=False) (scipy 1.10)
// computes it, operation for operation:
//   m1, m2 the means and v1, v2 the variances with ddof 1 (numpy's and scipy's rounding:
//   lib/stats/numpy-moments.ts), vn1 = v1/n1, vn2 = v2/n2,
//   t = (m1 - m2) / sqrt(vn1 + vn2),
//   df = (vn1 + vn2)² / (vn1²/(n1 - 1) + vn2²/(n2 - 1))  (Welch–Satterthwaite), 1 where that is NaN,
//   p = stdtr(df, t) ('less'), stdtr(df, -t) ('greater'), 2·stdtr(df, -|t|) ('two-sided'),
// with stdtr the Student t CDF (lib/stats/student-t.ts). Hence, as in scipy:
//   - a sample with NaN or ±∞ (nan_policy 'propagate') gives a NaN statistic and p-value;
//   - a sample of one value has no variance: NaN statistic and p-value;
//   - an empty sample: NaN statistic, p-value and df (scipy returns before computing df);
//   - both variances zero: t = ±∞ and p = 0 (two-sided) when the means differ, NaN when they are
//     equal; df is then 0/0 and scipy's substitute 1 (it cannot change p);
//   - nearly constant samples are not rounded to constant ones: numpy's mean of [0.1, 0.1, 0.1] is
//     0.10000000000000002, so scipy's t is huge and finite, and so is this one.
// scipy 1.10 does not return df (1.11 added it to the result); `df` here is the value its
// _unequal_var_ttest_denom computes and the p-value uses.

import { scipyVar, numpyMean } from './numpy-moments.ts';
import { checkChoice, numberArray } from './sample.ts';
import { studentTCdf } from './student-t.ts';
import type { Alternative } from './wilcoxon.ts';

export interface WelchOptions {
  /** Default 'two-sided'. 'greater': the mean of a is greater than the mean of b. */
  alternative?: Alternative;
}

export interface WelchResult {
  /** t = (mean(a) - mean(b)) / sqrt(var(a)/n1 + var(b)/n2). */
  statistic: number;
  pvalue: number;
  /** Welch–Satterthwaite degrees of freedom (1 where undefined, as scipy substitutes; NaN for an empty sample). */
  df: number;
}

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];

/** Welch's t-test of a against b. Matches scipy.stats.ttest_ind(a, b, equal_var=False, alternative=...) of scipy 1.10. */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>, options: WelchOptions = {}): WelchResult {
  const alternative = checkChoice(options.alternative ?? 'two-sided', ALTERNATIVES, 'alternative');
  const xs = numberArray(a, 'a');
  const ys = numberArray(b, 'b');
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) return { statistic: NaN, pvalue: NaN, df: NaN };

  const vn1 = scipyVar(xs, 1) / n1;
  const vn2 = scipyVar(ys, 1) / n2;
  const sum = vn1 + vn2;
  let df = (sum * sum) / ((vn1 * vn1) / (n1 - 1) + (vn2 * vn2) / (n2 - 1));
  if (Number.isNaN(df)) df = 1;
  const denom = Math.sqrt(sum);
  const t = (numpyMean(xs) - numpyMean(ys)) / denom;

  let p: number;
  if (alternative === 'less') p = studentTCdf(t, df);
  else if (alternative === 'greater') p = studentTCdf(-t, df);
  else p = studentTCdf(-Math.abs(t), df) * 2;
  return { statistic: t, pvalue: p, df };
}
