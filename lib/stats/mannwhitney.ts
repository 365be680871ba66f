// Mann-Whitney U test, as scipy.stats.mannwhitneyu (scipy 1.10) defines it, option for option.
//
// Ranks (ties averaged) of x and y pooled; R1 the rank sum of x; U1 = R1 - n1(n1+1)/2 is the statistic
// returned; U2 = n1·n2 - U1. The p-value comes from the upper tail of U = U1 ('greater'), U = U2 ('less')
// or U = max(U1, U2) doubled ('two-sided'), clipped to 1.
//   - method 'auto' is 'asymptotic' when both samples have more than 8 values, or when the pooled sample
//     has ties; otherwise 'exact' (so one sample of <= 8 values without ties is enough for 'exact');
//   - 'exact': P(U >= trunc(U)) from the exact distribution; no tie correction (ties give half-integer U,
//     which scipy truncates);
//   - 'asymptotic': z = (U - n1·n2/2 - 0.5·use_continuity) / σ with
//     σ = sqrt(n1·n2/12 · ((n + 1) - Σ(t³ - t)/(n(n - 1)))), t the sizes of the tie groups, and p = sf(z);
//   - errors: an empty sample; NaN in either sample (nan_policy 'propagate') gives NaN statistic and p-value.

import { normSf } from './normal.ts';
import { rankAverage, tieGroupSizes } from './rank.ts';
import { checkChoice, checkSample } from './sample.ts';
import { uSf } from './u-distribution.ts';
import type { Alternative } from './wilcoxon.ts';

export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic';

export interface MannWhitneyOptions {
  /** Continuity correction of 1/2 in the asymptotic method; default true. */
  useContinuity?: boolean;
  /** Default 'two-sided'. 'greater': x is stochastically greater than y. */
  alternative?: Alternative;
  /** Default 'auto'. */
  method?: MannWhitneyMethod;
}

export interface MannWhitneyResult {
  /** U of x. */
  statistic: number;
  pvalue: number;
  /** The method actually used ('exact' or 'asymptotic'); absent for NaN results. */
  method?: 'exact' | 'asymptotic';
}

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];
const METHODS: readonly MannWhitneyMethod[] = ['auto', 'exact', 'asymptotic'];

/** Mann-Whitney U test of x against y. Matches scipy.stats.mannwhitneyu(x, y, use_continuity, alternative, method=...) of scipy 1.10. */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>, options: MannWhitneyOptions = {}): MannWhitneyResult {
  const alternative = checkChoice(options.alternative ?? 'two-sided', ALTERNATIVES, 'alternative');
  const requested = checkChoice(options.method ?? 'auto', METHODS, 'method');
  const useContinuity = options.useContinuity ?? true;
  if (typeof useContinuity !== 'boolean') throw new TypeError(`useContinuity must be a boolean, got ${typeof useContinuity}`);

  const xs = checkSample(x, 'x');
  const ys = checkSample(y, 'y');
  const n1 = xs.data.length;
  const n2 = ys.data.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`x and y must be of nonzero size (x has ${n1}, y has ${n2})`);
  if (xs.hasNaN || ys.hasNaN) return { statistic: NaN, pvalue: NaN };

  const xy = new Float64Array(n1 + n2);
  xy.set(xs.data, 0);
  xy.set(ys.data, n1);
  const groups = tieGroupSizes(xy);
  const hasTies = groups.length < xy.length;

  let method: 'exact' | 'asymptotic';
  if (requested !== 'auto') method = requested;
  else method = (n1 > 8 && n2 > 8) || hasTies ? 'asymptotic' : 'exact';

  const ranks = rankAverage(xy);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;

  let p: number;
  if (method === 'exact') {
    p = uSf(Math.trunc(u), n1, n2);
  } else {
    const n = n1 + n2;
    let tieTerm = 0;
    for (const t of groups) tieTerm += t ** 3 - t;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    let numerator = u - (n1 * n2) / 2;
    if (useContinuity) numerator -= 0.5;
    p = normSf(numerator / s);
  }
  p *= factor;
  // NaN (all values tied, no continuity correction: 0/0) stays NaN, as with numpy.clip
  if (p > 1) p = 1;
  return { statistic: u1, pvalue: p, method };
}
