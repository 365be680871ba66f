// Wilcoxon signed-rank test, as scipy.stats.wilcoxon (scipy 1.10) defines it, option for option.
//
// d = x - y (or d = x when y is absent). The statistic is min(r_plus, r_minus) for the two-sided test
// and r_plus for the one-sided ones, r_plus/r_minus being the sums of the average ranks of |d| over the
// positive/negative differences. How scipy 1.10 chooses and computes the p-value:
//   - method 'auto' is 'exact' when len(d) <= 50 (zeros counted), else 'approx'; ties do not matter;
//   - any zero difference turns 'exact' (asked for or chosen by 'auto') into 'approx' (scipy warns);
//   - 'exact' uses the distribution of r_plus for distinct ranks 1..n, at r_plus truncated to an
//     integer (ties give half ranks; scipy does int(r_plus)); two-sided p is 1 at the centre
//     floor(n(n+1)/4) and otherwise 2·min(P(R <= r), P(R >= r)), clipped to 1;
//   - 'approx': zero_method 'wilcox' drops the zeros before ranking; 'pratt' ranks them, then drops
//     their ranks, and takes n_zero(n_zero+1)/4 off the mean and n_zero(n_zero+1)(2n_zero+1)/24 off the
//     variance; 'zsplit' ranks them and gives half their rank sum to each side. Tie correction: each group
//     of t equal ranks (zeros included for 'zsplit', excluded for 'pratt') takes t(t²-1)/48 off the
//     variance. Continuity correction (`correction`): z = (T - mean - c)/sd with c = 0.5·sign(T - mean)
//     two-sided, -0.5 for 'less', +0.5 for 'greater'. Two-sided p = 2·sf(|z|); 'greater' sf(z); 'less' cdf(z);
//   - errors: unequal lengths; all differences zero with 'wilcox' or 'pratt' under 'approx'.
//   - an empty d, or NaN anywhere in x or y (nan_policy 'propagate'), gives NaN statistic and p-value.
// `zstatistic` is returned when method 'approx' was asked for, as scipy returns it only then.

import { normCdf, normSf } from './normal.ts';
import { rankAverage, tieGroupSizes } from './rank.ts';
import { checkChoice, checkSample } from './sample.ts';
import { signedRankPmf } from './signed-rank-distribution.ts';

export type Alternative = 'two-sided' | 'greater' | 'less';
export type WilcoxonMethod = 'auto' | 'exact' | 'approx';
export type ZeroMethod = 'wilcox' | 'pratt' | 'zsplit';

export interface WilcoxonOptions {
  /** How zero differences are treated (scipy's zero_method); default 'wilcox'. */
  zeroMethod?: ZeroMethod;
  /** Continuity correction in the normal approximation; default false. */
  correction?: boolean;
  /** Default 'two-sided'. 'greater': the differences x - y are located above zero. */
  alternative?: Alternative;
  /** Default 'auto'. */
  method?: WilcoxonMethod;
}

export interface WilcoxonResult {
  statistic: number;
  pvalue: number;
  /** The standardized statistic; present only when method 'approx' was asked for (as in scipy). */
  zstatistic?: number;
  /** The method actually used after scipy's switching rules ('exact' or 'approx'); absent for NaN results. */
  method?: 'exact' | 'approx';
}

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];
const METHODS: readonly WilcoxonMethod[] = ['auto', 'exact', 'approx'];
const ZERO_METHODS: readonly ZeroMethod[] = ['wilcox', 'pratt', 'zsplit'];

/** Sum of a[i] over i with pred(i), left to right. */
function sumWhere(a: Float64Array, pred: (i: number) => boolean): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (pred(i)) s += a[i]!;
  return s;
}

/**
 * Wilcoxon signed-rank test of x - y (paired) or of x (one-sample, y omitted or null) against
 * symmetry about zero. Matches scipy.stats.wilcoxon(x, y, zero_method, correction, alternative, method)
 * of scipy 1.10.
 */
export function wilcoxon(x: ArrayLike<number>, y?: ArrayLike<number> | null, options: WilcoxonOptions = {}): WilcoxonResult {
  const zeroMethod = checkChoice(options.zeroMethod ?? 'wilcox', ZERO_METHODS, 'zeroMethod');
  const alternative = checkChoice(options.alternative ?? 'two-sided', ALTERNATIVES, 'alternative');
  const method = checkChoice(options.method ?? 'auto', METHODS, 'method');
  const correction = options.correction ?? false;
  if (typeof correction !== 'boolean') throw new TypeError(`correction must be a boolean, got ${typeof correction}`);

  const xs = checkSample(x, 'x');
  let d: Float64Array;
  let hasNaN = xs.hasNaN;
  if (y == null) {
    d = xs.data;
  } else {
    const ys = checkSample(y, 'y');
    if (ys.data.length !== xs.data.length) {
      throw new RangeError(`the samples x and y must have the same length (x has ${xs.data.length}, y has ${ys.data.length})`);
    }
    hasNaN ||= ys.hasNaN;
    d = xs.data.map((v, i) => v - ys.data[i]!);
  }

  const nanResult = (): WilcoxonResult => (method === 'approx' ? { statistic: NaN, pvalue: NaN, zstatistic: NaN } : { statistic: NaN, pvalue: NaN });
  if (hasNaN || d.length === 0) return nanResult();

  let mode: 'exact' | 'approx' = method === 'auto' ? (d.length <= 50 ? 'exact' : 'approx') : method;
  let nZero = 0;
  for (const v of d) if (v === 0) nZero++;
  if (nZero > 0 && mode === 'exact') mode = 'approx';

  if (mode === 'approx') {
    if ((zeroMethod === 'wilcox' || zeroMethod === 'pratt') && nZero === d.length) {
      throw new RangeError(`zero_method '${zeroMethod}' does not work if x - y is zero for all elements`);
    }
    if (zeroMethod === 'wilcox') d = d.filter((v) => v !== 0);
  }

  const count = d.length;
  const r = rankAverage(d.map(Math.abs));
  let rPlus = sumWhere(r, (i) => d[i]! > 0);
  let rMinus = sumWhere(r, (i) => d[i]! < 0);
  if (zeroMethod === 'zsplit') {
    const rZero = sumWhere(r, (i) => d[i] === 0);
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const T = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;

  if (mode === 'approx') {
    let mn = count * (count + 1) * 0.25;
    let se = count * (count + 1) * (2 * count + 1);
    let tiedRanks: Float64Array = r;
    if (zeroMethod === 'pratt') {
      tiedRanks = r.filter((_, i) => d[i] !== 0);
      mn -= nZero * (nZero + 1) * 0.25;
      se -= nZero * (nZero + 1) * (2 * nZero + 1);
    }
    let ties = 0;
    for (const t of tieGroupSizes(tiedRanks)) if (t > 1) ties += t * (t * t - 1);
    se -= 0.5 * ties;
    se = Math.sqrt(se / 24);

    let cc = 0;
    if (correction) cc = alternative === 'two-sided' ? 0.5 * Math.sign(T - mn) : alternative === 'less' ? -0.5 : 0.5;
    const z = (T - mn - cc) / se;
    const pvalue = alternative === 'two-sided' ? 2 * normSf(Math.abs(z)) : alternative === 'greater' ? normSf(z) : normCdf(z);
    const res: WilcoxonResult = { statistic: T, pvalue, method: 'approx' };
    if (method === 'approx') res.zstatistic = z;
    return res;
  }

  const pmf = signedRankPmf(count);
  const rp = Math.trunc(rPlus);
  const lower = (): number => sumRange(pmf, 0, rp + 1);
  const upper = (): number => sumRange(pmf, rp, pmf.length);
  let p: number;
  if (alternative === 'two-sided') {
    p = rp === Math.floor((pmf.length - 1) / 2) ? 1 : 2 * Math.min(upper(), lower());
  } else {
    p = alternative === 'greater' ? upper() : lower();
  }
  return { statistic: T, pvalue: Math.min(1, Math.max(0, p)), method: 'exact' };
}

/** Σ a[from..to), pairwise, so long tails of tiny probabilities keep their precision. */
function sumRange(a: Float64Array, from: number, to: number): number {
  if (to - from <= 8) {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i]!;
    return s;
  }
  const mid = from + ((to - from) >> 1);
  return sumRange(a, from, mid) + sumRange(a, mid, to);
}
