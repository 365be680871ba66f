// Golden values from scipy.stats 1.10.1 on Debian 12 (python3-scipy 1.10.1-2): each case records the
// exact call, `scipy.stats.mannwhitneyu(<call>)`, with the arrays below; compared at relative tolerance 1e-12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyU, type MannWhitneyOptions } from '../../lib/stats/mannwhitney.ts';
import { close } from './close.ts';

interface MCase {
  call: string;
  x: number[];
  y: number[];
  opts: MannWhitneyOptions;
  statistic: number;
  pvalue: number;
}

// scipy's docstring example (exact p = 1/9)
const MALES = [19, 22, 16, 29, 24];
const FEMALES = [20, 11, 17, 12];
// ties: 'auto' goes asymptotic; 'exact' truncates the half-integer U
const MT_X = [1, 2, 2, 3, 5];
const MT_Y = [2, 3, 4, 4, 6, 7];
const ONE_A = [1];
const ONE_B = [2];
// every value tied: sigma = 0, so z = -0.5/0 = -inf with continuity (p = 1) and 0/0 = NaN without
const SAME_A = [3, 3];
const SAME_B = [3, 3, 3];
// completely separated samples: far-tail p-values
const SEP_A = Array.from({ length: 30 }, (_, i) => i + 1);
const SEP_B = Array.from({ length: 30 }, (_, i) => i + 31);
const SEP20_A = Array.from({ length: 20 }, (_, i) => i + 1);
const SEP20_B = Array.from({ length: 20 }, (_, i) => i + 21);
// normal samples rounded (numpy default_rng(20240611)): M3/M20 (auto exact, unequal sizes), M8/M12 (auto exact:
// one sample has <= 8 values), M9A/M9B (auto asymptotic: both > 8), M30/M40 (rounded to 0.1: ties),
// M25A/M25B (exact forced with counts beyond 2^53)
const M3 = [0.35, 1.72, -0.4];
const M20 = [1.466, 0.176, 0.656, 2.235, -0.245, 2.422, -1.086, -0.256, 1.501, -0.063, 0.282, 1.39, 1.558, 1.09, 0.059, 1.228, 0.754, 1.779, 0.99, -0.196];
const M8 = [-0.125, -1.552, 0.629, 0.447, 0.019, -1.346, -0.389, 0.682];
const M12 = [0.616, 0.92, 1.945, 1.433, -0.799, 1.167, -0.136, -1.425, 1.96, -0.686, 0.484, 2.049];
const M9A = [0.703, -0.062, -0.888, 0.296, -0.068, 0.821, 0.388, 0.729, -1.504];
const M9B = [0.041, 1.06, 1.269, 0.276, 0.198, 0.873, 1.025, 2.864, 0.516];
const M30 = [0.5, -1.7, -0.1, -0.3, -1.3, -1, -0.6, -0.8, -1.9, -0.3, -0.1, -0.3, 0.8, -0.2, 0.1, 0, 0.1, -1.1, -0.3, 1.8, 0.3, -0.2, -0.5, 0.4, 0, 0.2, 0.9, 0.1, -0.1, -0.6];
const M40 = [-1, 0.7, 0.7, -0.4, -0.3, -0.8, -0.7, 0, 0.2, 1.2, 0.9, -0.2, 1.1, -1.6, -0.1, 0.8, 1.8, -1.3, -0.9, -0.2, -1.3, 0.3, 0.6, 0, -0.6, 2.2, 1.9, 0.6, 1.8, -0.5, -1, 0.6, 2.1, 0.1, 1.1, 1.6, 0.3, 1.1, -0.4, 1.6];
const M25A = [0.4211, 0.0675, -0.6298, -2.8555, 0.3189, 0.003, -0.1162, -0.3973, 1.8846, -0.0867, -0.0816, -0.0034, -1.0721, -0.5364, -0.3443, 0.3168, 0.5983, -0.7553, 1.0568, -2.3901];
const M25B = [2.0139, 1.1583, 1.3263, 0.6393, 0.9136, 0.8313, 0.1527, -0.4087, 0.9187, 0.7696, -0.1726, 0.5587, -0.2266, 2.8947, 1.047, 1.1458, 1.4126, -3.0085, 0.5325, 1.6215, -0.6096, 0.8642, 1.1039, -0.7374, 3.6156];
const MWU_CASES: MCase[] = [
  { call: "mannwhitneyu(MALES, FEMALES, alternative='two-sided')", x: MALES, y: FEMALES, opts: { alternative: "two-sided" }, statistic: 17.0, pvalue: 0.1111111111111111 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='two-sided', method='asymptotic')", x: MALES, y: FEMALES, opts: { alternative: "two-sided", method: "asymptotic" }, statistic: 17.0, pvalue: 0.11134688653314041 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='two-sided', method='asymptotic', use_continuity=False)", x: MALES, y: FEMALES, opts: { alternative: "two-sided", method: "asymptotic", useContinuity: false }, statistic: 17.0, pvalue: 0.0864107329737 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='two-sided')", x: MT_X, y: MT_Y, opts: { alternative: "two-sided" }, statistic: 6.5, pvalue: 0.13862587987892763 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='two-sided', use_continuity=False)", x: MT_X, y: MT_Y, opts: { alternative: "two-sided", useContinuity: false }, statistic: 6.5, pvalue: 0.11560643738731947 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='two-sided', method='exact')", x: MT_X, y: MT_Y, opts: { alternative: "two-sided", method: "exact" }, statistic: 6.5, pvalue: 0.17748917748917747 },
  { call: "mannwhitneyu(M3, M20, alternative='two-sided')", x: M3, y: M20, opts: { alternative: "two-sided" }, statistic: 26.0, pvalue: 0.7634105025409372 },
  { call: "mannwhitneyu(M8, M12, alternative='two-sided')", x: M8, y: M12, opts: { alternative: "two-sided" }, statistic: 28.0, pvalue: 0.13493688973565135 },
  { call: "mannwhitneyu(M9A, M9B, alternative='two-sided')", x: M9A, y: M9B, opts: { alternative: "two-sided" }, statistic: 18.0, pvalue: 0.052058768750600205 },
  { call: "mannwhitneyu(M9A, M9B, alternative='two-sided', method='exact')", x: M9A, y: M9B, opts: { alternative: "two-sided", method: "exact" }, statistic: 18.0, pvalue: 0.05030851501439737 },
  { call: "mannwhitneyu(M30, M40, alternative='two-sided')", x: M30, y: M40, opts: { alternative: "two-sided" }, statistic: 432.5, pvalue: 0.047301349291621414 },
  { call: "mannwhitneyu(M30, M40, alternative='two-sided', use_continuity=False)", x: M30, y: M40, opts: { alternative: "two-sided", useContinuity: false }, statistic: 432.5, pvalue: 0.04664264231329382 },
  { call: "mannwhitneyu(M25A, M25B, alternative='two-sided', method='exact')", x: M25A, y: M25B, opts: { alternative: "two-sided", method: "exact" }, statistic: 121.0, pvalue: 0.0027102666526189344 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='greater')", x: MALES, y: FEMALES, opts: { alternative: "greater" }, statistic: 17.0, pvalue: 0.05555555555555555 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='greater', method='asymptotic')", x: MALES, y: FEMALES, opts: { alternative: "greater", method: "asymptotic" }, statistic: 17.0, pvalue: 0.055673443266570206 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='greater', method='asymptotic', use_continuity=False)", x: MALES, y: FEMALES, opts: { alternative: "greater", method: "asymptotic", useContinuity: false }, statistic: 17.0, pvalue: 0.04320536648685 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='greater')", x: MT_X, y: MT_Y, opts: { alternative: "greater" }, statistic: 6.5, pvalue: 0.9521476244125593 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='greater', use_continuity=False)", x: MT_X, y: MT_Y, opts: { alternative: "greater", useContinuity: false }, statistic: 6.5, pvalue: 0.9421967813063402 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='greater', method='exact')", x: MT_X, y: MT_Y, opts: { alternative: "greater", method: "exact" }, statistic: 6.5, pvalue: 0.958874458874459 },
  { call: "mannwhitneyu(M3, M20, alternative='greater')", x: M3, y: M20, opts: { alternative: "greater" }, statistic: 26.0, pvalue: 0.6510446075663466 },
  { call: "mannwhitneyu(M8, M12, alternative='greater')", x: M8, y: M12, opts: { alternative: "greater" }, statistic: 28.0, pvalue: 0.9423672302929268 },
  { call: "mannwhitneyu(M9A, M9B, alternative='greater')", x: M9A, y: M9B, opts: { alternative: "greater" }, statistic: 18.0, pvalue: 0.9788699469580217 },
  { call: "mannwhitneyu(M9A, M9B, alternative='greater', method='exact')", x: M9A, y: M9B, opts: { alternative: "greater", method: "exact" }, statistic: 18.0, pvalue: 0.9800082270670504 },
  { call: "mannwhitneyu(M30, M40, alternative='greater')", x: M30, y: M40, opts: { alternative: "greater" }, statistic: 432.5, pvalue: 0.9770041637279814 },
  { call: "mannwhitneyu(M30, M40, alternative='greater', use_continuity=False)", x: M30, y: M40, opts: { alternative: "greater", useContinuity: false }, statistic: 432.5, pvalue: 0.9766786788433531 },
  { call: "mannwhitneyu(M25A, M25B, alternative='greater', method='exact')", x: M25A, y: M25B, opts: { alternative: "greater", method: "exact" }, statistic: 121.0, pvalue: 0.998752036089797 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='less')", x: MALES, y: FEMALES, opts: { alternative: "less" }, statistic: 17.0, pvalue: 0.9682539682539684 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='less', method='asymptotic')", x: MALES, y: FEMALES, opts: { alternative: "less", method: "asymptotic" }, statistic: 17.0, pvalue: 0.9669037101389033 },
  { call: "mannwhitneyu(MALES, FEMALES, alternative='less', method='asymptotic', use_continuity=False)", x: MALES, y: FEMALES, opts: { alternative: "less", method: "asymptotic", useContinuity: false }, statistic: 17.0, pvalue: 0.95679463351315 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='less')", x: MT_X, y: MT_Y, opts: { alternative: "less" }, statistic: 6.5, pvalue: 0.06931293993946382 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='less', use_continuity=False)", x: MT_X, y: MT_Y, opts: { alternative: "less", useContinuity: false }, statistic: 6.5, pvalue: 0.05780321869365974 },
  { call: "mannwhitneyu(MT_X, MT_Y, alternative='less', method='exact')", x: MT_X, y: MT_Y, opts: { alternative: "less", method: "exact" }, statistic: 6.5, pvalue: 0.08874458874458874 },
  { call: "mannwhitneyu(M3, M20, alternative='less')", x: M3, y: M20, opts: { alternative: "less" }, statistic: 26.0, pvalue: 0.3817052512704686 },
  { call: "mannwhitneyu(M8, M12, alternative='less')", x: M8, y: M12, opts: { alternative: "less" }, statistic: 28.0, pvalue: 0.06746844486782567 },
  { call: "mannwhitneyu(M9A, M9B, alternative='less')", x: M9A, y: M9B, opts: { alternative: "less" }, statistic: 18.0, pvalue: 0.026029384375300103 },
  { call: "mannwhitneyu(M9A, M9B, alternative='less', method='exact')", x: M9A, y: M9B, opts: { alternative: "less", method: "exact" }, statistic: 18.0, pvalue: 0.025154257507198685 },
  { call: "mannwhitneyu(M30, M40, alternative='less')", x: M30, y: M40, opts: { alternative: "less" }, statistic: 432.5, pvalue: 0.023650674645810707 },
  { call: "mannwhitneyu(M30, M40, alternative='less', use_continuity=False)", x: M30, y: M40, opts: { alternative: "less", useContinuity: false }, statistic: 432.5, pvalue: 0.02332132115664691 },
  { call: "mannwhitneyu(M25A, M25B, alternative='less', method='exact')", x: M25A, y: M25B, opts: { alternative: "less", method: "exact" }, statistic: 121.0, pvalue: 0.0013551333263094672 },
  { call: "mannwhitneyu(M20, M3)", x: M20, y: M3, opts: {}, statistic: 34.0, pvalue: 0.7634105025409372 },
  { call: "mannwhitneyu(SEP_A, SEP_B)", x: SEP_A, y: SEP_B, opts: {}, statistic: 0.0, pvalue: 3.019859359162157e-11 },
  { call: "mannwhitneyu(SEP_A, SEP_B, alternative='greater')", x: SEP_A, y: SEP_B, opts: { alternative: "greater" }, statistic: 0.0, pvalue: 0.9999999999863444 },
  { call: "mannwhitneyu(SEP20_A, SEP20_B, method='exact')", x: SEP20_A, y: SEP20_B, opts: { method: "exact" }, statistic: 0.0, pvalue: 1.4508889103849684e-11 },
  { call: "mannwhitneyu(SEP20_A, SEP20_B, method='exact', alternative='less')", x: SEP20_A, y: SEP20_B, opts: { method: "exact", alternative: "less" }, statistic: 0.0, pvalue: 7.254444551924842e-12 },
  { call: "mannwhitneyu(ONE_A, ONE_B)", x: ONE_A, y: ONE_B, opts: {}, statistic: 0.0, pvalue: 1.0 },
  { call: "mannwhitneyu(ONE_A, ONE_B, method='asymptotic')", x: ONE_A, y: ONE_B, opts: { method: "asymptotic" }, statistic: 0.0, pvalue: 1.0 },
  { call: "mannwhitneyu(SAME_A, SAME_B)", x: SAME_A, y: SAME_B, opts: {}, statistic: 3.0, pvalue: 1.0 },
  { call: "mannwhitneyu(SAME_A, SAME_B, use_continuity=False)", x: SAME_A, y: SAME_B, opts: { useContinuity: false }, statistic: 3.0, pvalue: NaN },
];

test('mannWhitneyU matches scipy 1.10.1: exact, asymptotic, ties, continuity, alternatives, unequal sizes', () => {
  for (const c of MWU_CASES) {
    const r = mannWhitneyU(c.x, c.y, c.opts);
    close(r.statistic, c.statistic, 1e-12, `${c.call} statistic`);
    close(r.pvalue, c.pvalue, 1e-12, `${c.call} pvalue`);
  }
});

test("mannWhitneyU 'auto': exact when a sample has <= 8 values and nothing is tied", () => {
  assert.equal(mannWhitneyU(MALES, FEMALES).method, 'exact');
  assert.equal(mannWhitneyU(M3, M20).method, 'exact');
  assert.equal(mannWhitneyU(M8, M12).method, 'exact');
  assert.equal(mannWhitneyU(M9A, M9B).method, 'asymptotic');
  assert.equal(mannWhitneyU(MT_X, MT_Y).method, 'asymptotic');
});

test('mannWhitneyU: U of y is n1*n2 - U of x, and the two-sided p-value is symmetric', () => {
  const a = mannWhitneyU(M8, M12);
  const b = mannWhitneyU(M12, M8);
  assert.equal(a.statistic + b.statistic, M8.length * M12.length);
  assert.equal(a.pvalue, b.pvalue);
  assert.equal(mannWhitneyU(M8, M12, { alternative: 'less' }).pvalue, mannWhitneyU(M12, M8, { alternative: 'greater' }).pvalue);
});

test('mannWhitneyU errors and NaN as scipy', () => {
  // scipy: ValueError "`x` and `y` must be of nonzero size."
  assert.throws(() => mannWhitneyU([], [1, 2]), /nonzero size/);
  assert.throws(() => mannWhitneyU([1], []), /nonzero size/);
  assert.throws(() => mannWhitneyU([1], [2], { alternative: 'both' as never }), /alternative must be one of/);
  assert.throws(() => mannWhitneyU([1], [2], { method: 'approx' as never }), /method must be one of/);
  assert.throws(() => mannWhitneyU([1, -Infinity], [2]), /must be finite/);
  // scipy.stats.mannwhitneyu([1.0, nan], [2.0, 3.0]) -> (nan, nan)
  const r = mannWhitneyU([1, NaN], [2, 3]);
  assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue));
});
