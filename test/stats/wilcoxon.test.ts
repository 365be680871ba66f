// Golden values from scipy.stats 1.10.1 on Debian 12 (python3-scipy 1.10.1-2): each case records the
// exact call, `scipy.stats.wilcoxon(<call>)`, with the arrays below; compared at relative tolerance 1e-12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilcoxon, type WilcoxonOptions } from '../../lib/stats/wilcoxon.ts';
import { close } from './close.ts';

interface WCase {
  call: string;
  x: number[];
  y: number[] | null;
  opts: WilcoxonOptions;
  statistic: number;
  pvalue: number;
  zstatistic?: number;
}

// paired, one zero difference (140 - 140) and tied |d|
const A_X = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];
const A_Y = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
// scipy's docstring example: distinct, no zeros
const DOC = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
// ties (half ranks), no zeros
const TIES = [1, 2, 2, 3, -1, 4];
// three zeros and ties
const ZEROS = [0, 0, 1.5, -2, 3, 3, -0.5, 4, 2, 6, 0, -1.5];
// n = 50 and n = 51, distinct, no zeros: 'auto' is exact for the first, approx for the second
const D50 = Array.from({ length: 50 }, (_, i) => ((i + 1) * (i % 3 === 0 ? -1 : 1)) + 0.5);
const D51 = [...D50, -60.5];
// all positive: the smallest exact two-sided p-value for n = 40, 2 / 2^40
const POS40 = Array.from({ length: 40 }, (_, i) => i + 1);
// n = 60: normal(0.4, 1) rounded to 0.01 (ties), four zeros
const D60 = [0.19, -0.12, 0.55, -1.39, 0.68, 0, -0.33, 0.5, -1.55, 0.24, -0.33, 0.81, 0.84, -0.53, -0.53, -1.07, -0.39, 0, 1.26, 0.63, 0.43, -0.47, 0.6, -0.42, 0.64, 0.2, 1.26, 0.6, 1.77, -0.01, 1.16, 0.63, 2.1, 0, 1.27, -0.62, -0.47, 0.38, -1.11, -0.79, -0.11, 0, -1.5, -0.47, 0.25, 0.27, -0.26, 0.4, -0.11, 1.57, -0.41, 0.46, -0.09, 1.25, -0.57, 1.28, -0.8, -0.97, -0.15, 0.49];
// n = 60, paired, rounded to 0.1: zero differences and ties
const P60_X = [7.1, 9, 8.9, 9.1, 13, 11.7, 10.6, 12.9, 11.3, 9.7, 14.3, 9.7, 8.8, 11.5, 10, 10.9, 7.1, 11.8, 8.1, 12, 9.4, 10.3, 9.6, 10.5, 7.7, 11, 14.4, 9.3, 14.1, 12.5, 10, 9.9, 11.6, 8.3, 13.1, 11.1, 12.6, 12.4, 13.3, 14.5, 10, 9.9, 7.8, 12.1, 8, 10.9, 10.4, 11.9, 11.4, 12.6, 8.3, 11.6, 13.5, 6.7, 10, 13.2, 6.9, 9.9, 7.8, 12.5];
const P60_Y = [7, 9, 10, 9.9, 11.8, 11.6, 10.7, 11.8, 11.9, 7.8, 14.4, 9.9, 8.8, 11.2, 9, 11.3, 7.6, 11.5, 7.5, 10.8, 9.6, 9, 10.3, 8.8, 8.5, 10.8, 13.9, 8, 12.3, 12.2, 7.8, 10.4, 11, 8.2, 12.2, 11.8, 13.4, 10.8, 11.9, 13.6, 10.4, 9, 7.1, 10.6, 7.5, 12.2, 10.3, 11.6, 10.3, 12.5, 9.1, 10.1, 12.8, 7.5, 10.4, 12, 7.9, 8.6, 7.5, 12.4];
const WILCOXON_CASES: WCase[] = [
  { call: "wilcoxon(A_X, A_Y, zero_method='wilcox', correction=False, alternative='two-sided')", x: A_X, y: A_Y, opts: { zeroMethod: "wilcox", correction: false, alternative: "two-sided" }, statistic: 18.0, pvalue: 0.5936305914425295 },
  { call: "wilcoxon(A_X, A_Y, zero_method='wilcox', correction=True, alternative='two-sided')", x: A_X, y: A_Y, opts: { zeroMethod: "wilcox", correction: true, alternative: "two-sided" }, statistic: 18.0, pvalue: 0.6352893188352069 },
  { call: "wilcoxon(A_X, A_Y, zero_method='wilcox', correction=False, alternative='greater')", x: A_X, y: A_Y, opts: { zeroMethod: "wilcox", correction: false, alternative: "greater" }, statistic: 27.0, pvalue: 0.29681529572126475 },
  { call: "wilcoxon(A_X, A_Y, zero_method='wilcox', correction=True, alternative='greater')", x: A_X, y: A_Y, opts: { zeroMethod: "wilcox", correction: true, alternative: "greater" }, statistic: 27.0, pvalue: 0.31764465941760345 },
  { call: "wilcoxon(A_X, A_Y, zero_method='wilcox', correction=False, alternative='less')", x: A_X, y: A_Y, opts: { zeroMethod: "wilcox", correction: false, alternative: "less" }, statistic: 27.0, pvalue: 0.7031847042787353 },
  { call: "wilcoxon(A_X, A_Y, zero_method='wilcox', correction=True, alternative='less')", x: A_X, y: A_Y, opts: { zeroMethod: "wilcox", correction: true, alternative: "less" }, statistic: 27.0, pvalue: 0.7233656428900035 },
  { call: "wilcoxon(A_X, A_Y, zero_method='pratt', correction=False, alternative='two-sided')", x: A_X, y: A_Y, opts: { zeroMethod: "pratt", correction: false, alternative: "two-sided" }, statistic: 22.0, pvalue: 0.6096011155205022 },
  { call: "wilcoxon(A_X, A_Y, zero_method='pratt', correction=True, alternative='two-sided')", x: A_X, y: A_Y, opts: { zeroMethod: "pratt", correction: true, alternative: "two-sided" }, statistic: 22.0, pvalue: 0.645818701677725 },
  { call: "wilcoxon(A_X, A_Y, zero_method='pratt', correction=False, alternative='greater')", x: A_X, y: A_Y, opts: { zeroMethod: "pratt", correction: false, alternative: "greater" }, statistic: 32.0, pvalue: 0.3048005577602511 },
  { call: "wilcoxon(A_X, A_Y, zero_method='pratt', correction=True, alternative='greater')", x: A_X, y: A_Y, opts: { zeroMethod: "pratt", correction: true, alternative: "greater" }, statistic: 32.0, pvalue: 0.3229093508388625 },
  { call: "wilcoxon(A_X, A_Y, zero_method='pratt', correction=False, alternative='less')", x: A_X, y: A_Y, opts: { zeroMethod: "pratt", correction: false, alternative: "less" }, statistic: 32.0, pvalue: 0.6951994422397489 },
  { call: "wilcoxon(A_X, A_Y, zero_method='pratt', correction=True, alternative='less')", x: A_X, y: A_Y, opts: { zeroMethod: "pratt", correction: true, alternative: "less" }, statistic: 32.0, pvalue: 0.7128422405444547 },
  { call: "wilcoxon(A_X, A_Y, zero_method='zsplit', correction=False, alternative='two-sided')", x: A_X, y: A_Y, opts: { zeroMethod: "zsplit", correction: false, alternative: "two-sided" }, statistic: 22.5, pvalue: 0.6100665567498502 },
  { call: "wilcoxon(A_X, A_Y, zero_method='zsplit', correction=True, alternative='two-sided')", x: A_X, y: A_Y, opts: { zeroMethod: "zsplit", correction: true, alternative: "two-sided" }, statistic: 22.5, pvalue: 0.6462480913943793 },
  { call: "wilcoxon(A_X, A_Y, zero_method='zsplit', correction=False, alternative='greater')", x: A_X, y: A_Y, opts: { zeroMethod: "zsplit", correction: false, alternative: "greater" }, statistic: 32.5, pvalue: 0.3050332783749251 },
  { call: "wilcoxon(A_X, A_Y, zero_method='zsplit', correction=True, alternative='greater')", x: A_X, y: A_Y, opts: { zeroMethod: "zsplit", correction: true, alternative: "greater" }, statistic: 32.5, pvalue: 0.32312404569718967 },
  { call: "wilcoxon(A_X, A_Y, zero_method='zsplit', correction=False, alternative='less')", x: A_X, y: A_Y, opts: { zeroMethod: "zsplit", correction: false, alternative: "less" }, statistic: 32.5, pvalue: 0.6949667216250749 },
  { call: "wilcoxon(A_X, A_Y, zero_method='zsplit', correction=True, alternative='less')", x: A_X, y: A_Y, opts: { zeroMethod: "zsplit", correction: true, alternative: "less" }, statistic: 32.5, pvalue: 0.7125931528430725 },
  { call: "wilcoxon(A_X, A_Y, method='approx')", x: A_X, y: A_Y, opts: { method: "approx" }, statistic: 18.0, pvalue: 0.5936305914425295, zstatistic: -0.533582250055877 },
  { call: "wilcoxon(A_X, A_Y, method='exact')", x: A_X, y: A_Y, opts: { method: "exact" }, statistic: 18.0, pvalue: 0.5936305914425295 },
  { call: "wilcoxon(DOC, alternative='two-sided')", x: DOC, y: null, opts: { alternative: "two-sided" }, statistic: 24.0, pvalue: 0.041259765625 },
  { call: "wilcoxon(DOC, alternative='two-sided', method='approx')", x: DOC, y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 24.0, pvalue: 0.04088813291185591, zstatistic: -2.0446626032894333 },
  { call: "wilcoxon(DOC, alternative='two-sided', method='approx', correction=True)", x: DOC, y: null, opts: { alternative: "two-sided", method: "approx", correction: true }, statistic: 24.0, pvalue: 0.043772323763041174, zstatistic: -2.01626451157708 },
  { call: "wilcoxon(DOC, alternative='greater')", x: DOC, y: null, opts: { alternative: "greater" }, statistic: 96.0, pvalue: 0.0206298828125 },
  { call: "wilcoxon(DOC, alternative='greater', method='approx')", x: DOC, y: null, opts: { alternative: "greater", method: "approx" }, statistic: 96.0, pvalue: 0.020444066455927955, zstatistic: 2.0446626032894333 },
  { call: "wilcoxon(DOC, alternative='greater', method='approx', correction=True)", x: DOC, y: null, opts: { alternative: "greater", method: "approx", correction: true }, statistic: 96.0, pvalue: 0.021886161881520587, zstatistic: 2.01626451157708 },
  { call: "wilcoxon(DOC, alternative='less')", x: DOC, y: null, opts: { alternative: "less" }, statistic: 96.0, pvalue: 0.982330322265625 },
  { call: "wilcoxon(DOC, alternative='less', method='approx')", x: DOC, y: null, opts: { alternative: "less", method: "approx" }, statistic: 96.0, pvalue: 0.979555933544072, zstatistic: 2.0446626032894333 },
  { call: "wilcoxon(DOC, alternative='less', method='approx', correction=True)", x: DOC, y: null, opts: { alternative: "less", method: "approx", correction: true }, statistic: 96.0, pvalue: 0.9809166843332187, zstatistic: 2.0730606950017867 },
  { call: "wilcoxon(TIES, alternative='two-sided')", x: TIES, y: null, opts: { alternative: "two-sided" }, statistic: 1.5, pvalue: 0.09375 },
  { call: "wilcoxon(TIES, alternative='two-sided', method='approx', correction=True)", x: TIES, y: null, opts: { alternative: "two-sided", method: "approx", correction: true }, statistic: 1.5, pvalue: 0.07313979965890892, zstatistic: -1.7919573407620817 },
  { call: "wilcoxon(TIES, alternative='greater')", x: TIES, y: null, opts: { alternative: "greater" }, statistic: 19.5, pvalue: 0.046875 },
  { call: "wilcoxon(TIES, alternative='greater', method='approx', correction=True)", x: TIES, y: null, opts: { alternative: "greater", method: "approx", correction: true }, statistic: 19.5, pvalue: 0.03656989982945446, zstatistic: 1.7919573407620817 },
  { call: "wilcoxon(TIES, alternative='less')", x: TIES, y: null, opts: { alternative: "less" }, statistic: 19.5, pvalue: 0.96875 },
  { call: "wilcoxon(TIES, alternative='less', method='approx', correction=True)", x: TIES, y: null, opts: { alternative: "less", method: "approx", correction: true }, statistic: 19.5, pvalue: 0.977399323511739, zstatistic: 2.0027758514399734 },
  { call: "wilcoxon(ZEROS, zero_method='wilcox', alternative='two-sided')", x: ZEROS, y: null, opts: { zeroMethod: "wilcox", alternative: "two-sided" }, statistic: 8.0, pvalue: 0.08500609446628643 },
  { call: "wilcoxon(ZEROS, zero_method='wilcox', alternative='greater')", x: ZEROS, y: null, opts: { zeroMethod: "wilcox", alternative: "greater" }, statistic: 37.0, pvalue: 0.042503047233143215 },
  { call: "wilcoxon(ZEROS, zero_method='wilcox', alternative='less')", x: ZEROS, y: null, opts: { zeroMethod: "wilcox", alternative: "less" }, statistic: 37.0, pvalue: 0.9574969527668568 },
  { call: "wilcoxon(ZEROS, zero_method='wilcox', correction=True, method='approx')", x: ZEROS, y: null, opts: { zeroMethod: "wilcox", correction: true, method: "approx" }, statistic: 8.0, pvalue: 0.09632067516219299, zstatistic: -1.6629588385661962 },
  { call: "wilcoxon(ZEROS, zero_method='pratt', alternative='two-sided')", x: ZEROS, y: null, opts: { zeroMethod: "pratt", alternative: "two-sided" }, statistic: 17.0, pvalue: 0.13140664789016848 },
  { call: "wilcoxon(ZEROS, zero_method='pratt', alternative='greater')", x: ZEROS, y: null, opts: { zeroMethod: "pratt", alternative: "greater" }, statistic: 55.0, pvalue: 0.06570332394508424 },
  { call: "wilcoxon(ZEROS, zero_method='pratt', alternative='less')", x: ZEROS, y: null, opts: { zeroMethod: "pratt", alternative: "less" }, statistic: 55.0, pvalue: 0.9342966760549157 },
  { call: "wilcoxon(ZEROS, zero_method='pratt', correction=True, method='approx')", x: ZEROS, y: null, opts: { zeroMethod: "pratt", correction: true, method: "approx" }, statistic: 17.0, pvalue: 0.14186571342497775, zstatistic: -1.4688786242993537 },
  { call: "wilcoxon(ZEROS, zero_method='zsplit', alternative='two-sided')", x: ZEROS, y: null, opts: { zeroMethod: "zsplit", alternative: "two-sided" }, statistic: 20.0, pvalue: 0.13504191477366256 },
  { call: "wilcoxon(ZEROS, zero_method='zsplit', alternative='greater')", x: ZEROS, y: null, opts: { zeroMethod: "zsplit", alternative: "greater" }, statistic: 58.0, pvalue: 0.06752095738683128 },
  { call: "wilcoxon(ZEROS, zero_method='zsplit', alternative='less')", x: ZEROS, y: null, opts: { zeroMethod: "zsplit", alternative: "less" }, statistic: 58.0, pvalue: 0.9324790426131687 },
  { call: "wilcoxon(ZEROS, zero_method='zsplit', correction=True, method='approx')", x: ZEROS, y: null, opts: { zeroMethod: "zsplit", correction: true, method: "approx" }, statistic: 20.0, pvalue: 0.14561874784796505, zstatistic: -1.455182487233941 },
  { call: "wilcoxon(D50, alternative='two-sided')", x: D50, y: null, opts: { alternative: "two-sided" }, statistic: 417.0, pvalue: 0.03286210881230289 },
  { call: "wilcoxon(D51, alternative='two-sided')", x: D51, y: null, opts: { alternative: "two-sided" }, statistic: 468.0, pvalue: 0.06755155424973434 },
  { call: "wilcoxon(D50, alternative='greater')", x: D50, y: null, opts: { alternative: "greater" }, statistic: 858.0, pvalue: 0.016431054406151446 },
  { call: "wilcoxon(D51, alternative='greater')", x: D51, y: null, opts: { alternative: "greater" }, statistic: 858.0, pvalue: 0.03377577712486717 },
  { call: "wilcoxon(D50, alternative='less')", x: D50, y: null, opts: { alternative: "less" }, statistic: 858.0, pvalue: 0.9839732569916944 },
  { call: "wilcoxon(D51, alternative='less')", x: D51, y: null, opts: { alternative: "less" }, statistic: 858.0, pvalue: 0.9662242228751329 },
  { call: "wilcoxon(D50, method='approx')", x: D50, y: null, opts: { method: "approx" }, statistic: 417.0, pvalue: 0.033275253813969584, zstatistic: -2.1287463258723864 },
  { call: "wilcoxon(D51, method='exact')", x: D51, y: null, opts: { method: "exact" }, statistic: 468.0, pvalue: 0.06801405326601984 },
  { call: "wilcoxon(D60, zero_method='wilcox')", x: D60, y: null, opts: { zeroMethod: "wilcox" }, statistic: 661.0, pvalue: 0.2637519506135225 },
  { call: "wilcoxon(D60, zero_method='wilcox', correction=True, alternative='greater')", x: D60, y: null, opts: { zeroMethod: "wilcox", correction: true, alternative: "greater" }, statistic: 935.0, pvalue: 0.13274937834237738 },
  { call: "wilcoxon(D60, zero_method='pratt')", x: D60, y: null, opts: { zeroMethod: "pratt" }, statistic: 769.0, pvalue: 0.2991619592371564 },
  { call: "wilcoxon(D60, zero_method='pratt', correction=True, alternative='greater')", x: D60, y: null, opts: { zeroMethod: "pratt", correction: true, alternative: "greater" }, statistic: 1051.0, pvalue: 0.1504394317544151 },
  { call: "wilcoxon(D60, zero_method='zsplit')", x: D60, y: null, opts: { zeroMethod: "zsplit" }, statistic: 774.0, pvalue: 0.29924382380232906 },
  { call: "wilcoxon(D60, zero_method='zsplit', correction=True, alternative='greater')", x: D60, y: null, opts: { zeroMethod: "zsplit", correction: true, alternative: "greater" }, statistic: 1056.0, pvalue: 0.15048037478754894 },
  { call: "wilcoxon(D60, correction=True, alternative='less', method='approx')", x: D60, y: null, opts: { correction: true, alternative: "less", method: "approx" }, statistic: 935.0, pvalue: 0.8689934556187875, zstatistic: 1.1216457558621733 },
  { call: "wilcoxon(D60, method='exact')", x: D60, y: null, opts: { method: "exact" }, statistic: 661.0, pvalue: 0.2637519506135225 },
  { call: "wilcoxon(P60_X, P60_Y, zero_method='wilcox', alternative='less')", x: P60_X, y: P60_Y, opts: { zeroMethod: "wilcox", alternative: "less" }, statistic: 1208.0, pvalue: 0.9968358009565477 },
  { call: "wilcoxon(P60_X, P60_Y, zero_method='wilcox', correction=True)", x: P60_X, y: P60_Y, opts: { zeroMethod: "wilcox", correction: true }, statistic: 503.0, pvalue: 0.006403140091669578 },
  { call: "wilcoxon(P60_X, P60_Y, zero_method='pratt', alternative='less')", x: P60_X, y: P60_Y, opts: { zeroMethod: "pratt", alternative: "less" }, statistic: 1284.0, pvalue: 0.9968192907862308 },
  { call: "wilcoxon(P60_X, P60_Y, zero_method='pratt', correction=True)", x: P60_X, y: P60_Y, opts: { zeroMethod: "pratt", correction: true }, statistic: 543.0, pvalue: 0.006432799371330522 },
  { call: "wilcoxon(P60_X, P60_Y, zero_method='zsplit', alternative='less')", x: P60_X, y: P60_Y, opts: { zeroMethod: "zsplit", alternative: "less" }, statistic: 1285.5, pvalue: 0.9968184879515996 },
  { call: "wilcoxon(P60_X, P60_Y, zero_method='zsplit', correction=True)", x: P60_X, y: P60_Y, opts: { zeroMethod: "zsplit", correction: true }, statistic: 544.5, pvalue: 0.006434419054111729 },
  { call: "wilcoxon(POS40)", x: POS40, y: null, opts: {}, statistic: 0.0, pvalue: 1.8189894035458565e-12 },
  { call: "wilcoxon(POS40, alternative='less')", x: POS40, y: null, opts: { alternative: "less" }, statistic: 820.0, pvalue: 1.0 },
  { call: "wilcoxon(POS40, method='approx')", x: POS40, y: null, opts: { method: "approx" }, statistic: 0.0, pvalue: 3.569388204466033e-08, zstatistic: -5.510931896727665 },
  { call: "wilcoxon(POS40, method='approx', correction=True, alternative='greater')", x: POS40, y: null, opts: { method: "approx", correction: true, alternative: "greater" }, statistic: 820.0, pvalue: 1.8541234583989488e-08, zstatistic: 5.504211248073118 },
];
const SMALL_CASES: WCase[] = [
  { call: "wilcoxon([2.0], alternative='two-sided', method='exact')", x: [2], y: null, opts: { alternative: "two-sided", method: "exact" }, statistic: 0.0, pvalue: 1.0 },
  { call: "wilcoxon([2.0], alternative='two-sided', method='approx')", x: [2], y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 0.0, pvalue: 0.31731050786291415, zstatistic: -1.0 },
  { call: "wilcoxon([2.0], alternative='greater', method='exact')", x: [2], y: null, opts: { alternative: "greater", method: "exact" }, statistic: 1.0, pvalue: 0.5 },
  { call: "wilcoxon([2.0], alternative='greater', method='approx')", x: [2], y: null, opts: { alternative: "greater", method: "approx" }, statistic: 1.0, pvalue: 0.15865525393145707, zstatistic: 1.0 },
  { call: "wilcoxon([2.0], alternative='less', method='exact')", x: [2], y: null, opts: { alternative: "less", method: "exact" }, statistic: 1.0, pvalue: 1.0 },
  { call: "wilcoxon([2.0], alternative='less', method='approx')", x: [2], y: null, opts: { alternative: "less", method: "approx" }, statistic: 1.0, pvalue: 0.8413447460685429, zstatistic: 1.0 },
  { call: "wilcoxon([-3.0], alternative='two-sided', method='exact')", x: [-3], y: null, opts: { alternative: "two-sided", method: "exact" }, statistic: 0.0, pvalue: 1.0 },
  { call: "wilcoxon([-3.0], alternative='two-sided', method='approx')", x: [-3], y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 0.0, pvalue: 0.31731050786291415, zstatistic: -1.0 },
  { call: "wilcoxon([-3.0], alternative='greater', method='exact')", x: [-3], y: null, opts: { alternative: "greater", method: "exact" }, statistic: 0.0, pvalue: 1.0 },
  { call: "wilcoxon([-3.0], alternative='greater', method='approx')", x: [-3], y: null, opts: { alternative: "greater", method: "approx" }, statistic: 0.0, pvalue: 0.8413447460685429, zstatistic: -1.0 },
  { call: "wilcoxon([-3.0], alternative='less', method='exact')", x: [-3], y: null, opts: { alternative: "less", method: "exact" }, statistic: 0.0, pvalue: 0.5 },
  { call: "wilcoxon([-3.0], alternative='less', method='approx')", x: [-3], y: null, opts: { alternative: "less", method: "approx" }, statistic: 0.0, pvalue: 0.15865525393145707, zstatistic: -1.0 },
  { call: "wilcoxon([1.0, 2.0], alternative='two-sided', method='exact')", x: [1, 2], y: null, opts: { alternative: "two-sided", method: "exact" }, statistic: 0.0, pvalue: 0.5 },
  { call: "wilcoxon([1.0, 2.0], alternative='two-sided', method='approx')", x: [1, 2], y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 0.0, pvalue: 0.17971249487899976, zstatistic: -1.3416407864998738 },
  { call: "wilcoxon([1.0, 2.0], alternative='greater', method='exact')", x: [1, 2], y: null, opts: { alternative: "greater", method: "exact" }, statistic: 3.0, pvalue: 0.25 },
  { call: "wilcoxon([1.0, 2.0], alternative='greater', method='approx')", x: [1, 2], y: null, opts: { alternative: "greater", method: "approx" }, statistic: 3.0, pvalue: 0.08985624743949988, zstatistic: 1.3416407864998738 },
  { call: "wilcoxon([1.0, 2.0], alternative='less', method='exact')", x: [1, 2], y: null, opts: { alternative: "less", method: "exact" }, statistic: 3.0, pvalue: 1.0 },
  { call: "wilcoxon([1.0, 2.0], alternative='less', method='approx')", x: [1, 2], y: null, opts: { alternative: "less", method: "approx" }, statistic: 3.0, pvalue: 0.9101437525605001, zstatistic: 1.3416407864998738 },
  { call: "wilcoxon([-1.0, 2.0], alternative='two-sided', method='exact')", x: [-1, 2], y: null, opts: { alternative: "two-sided", method: "exact" }, statistic: 1.0, pvalue: 1.0 },
  { call: "wilcoxon([-1.0, 2.0], alternative='two-sided', method='approx')", x: [-1, 2], y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 1.0, pvalue: 0.6547208460185769, zstatistic: -0.4472135954999579 },
  { call: "wilcoxon([-1.0, 2.0], alternative='greater', method='exact')", x: [-1, 2], y: null, opts: { alternative: "greater", method: "exact" }, statistic: 2.0, pvalue: 0.5 },
  { call: "wilcoxon([-1.0, 2.0], alternative='greater', method='approx')", x: [-1, 2], y: null, opts: { alternative: "greater", method: "approx" }, statistic: 2.0, pvalue: 0.32736042300928847, zstatistic: 0.4472135954999579 },
  { call: "wilcoxon([-1.0, 2.0], alternative='less', method='exact')", x: [-1, 2], y: null, opts: { alternative: "less", method: "exact" }, statistic: 2.0, pvalue: 0.75 },
  { call: "wilcoxon([-1.0, 2.0], alternative='less', method='approx')", x: [-1, 2], y: null, opts: { alternative: "less", method: "approx" }, statistic: 2.0, pvalue: 0.6726395769907115, zstatistic: 0.4472135954999579 },
  { call: "wilcoxon([1.0, -1.0], alternative='two-sided', method='exact')", x: [1, -1], y: null, opts: { alternative: "two-sided", method: "exact" }, statistic: 1.5, pvalue: 1.0 },
  { call: "wilcoxon([1.0, -1.0], alternative='two-sided', method='approx')", x: [1, -1], y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 1.5, pvalue: 1.0, zstatistic: 0.0 },
  { call: "wilcoxon([1.0, -1.0], alternative='greater', method='exact')", x: [1, -1], y: null, opts: { alternative: "greater", method: "exact" }, statistic: 1.5, pvalue: 0.75 },
  { call: "wilcoxon([1.0, -1.0], alternative='greater', method='approx')", x: [1, -1], y: null, opts: { alternative: "greater", method: "approx" }, statistic: 1.5, pvalue: 0.5, zstatistic: 0.0 },
  { call: "wilcoxon([1.0, -1.0], alternative='less', method='exact')", x: [1, -1], y: null, opts: { alternative: "less", method: "exact" }, statistic: 1.5, pvalue: 0.5 },
  { call: "wilcoxon([1.0, -1.0], alternative='less', method='approx')", x: [1, -1], y: null, opts: { alternative: "less", method: "approx" }, statistic: 1.5, pvalue: 0.5, zstatistic: 0.0 },
  { call: "wilcoxon([0.5, 1.5, 2.5], alternative='two-sided', method='exact')", x: [0.5, 1.5, 2.5], y: null, opts: { alternative: "two-sided", method: "exact" }, statistic: 0.0, pvalue: 0.25 },
  { call: "wilcoxon([0.5, 1.5, 2.5], alternative='two-sided', method='approx')", x: [0.5, 1.5, 2.5], y: null, opts: { alternative: "two-sided", method: "approx" }, statistic: 0.0, pvalue: 0.10880943004054568, zstatistic: -1.6035674514745464 },
  { call: "wilcoxon([0.5, 1.5, 2.5], alternative='greater', method='exact')", x: [0.5, 1.5, 2.5], y: null, opts: { alternative: "greater", method: "exact" }, statistic: 6.0, pvalue: 0.125 },
  { call: "wilcoxon([0.5, 1.5, 2.5], alternative='greater', method='approx')", x: [0.5, 1.5, 2.5], y: null, opts: { alternative: "greater", method: "approx" }, statistic: 6.0, pvalue: 0.05440471502027284, zstatistic: 1.6035674514745464 },
  { call: "wilcoxon([0.5, 1.5, 2.5], alternative='less', method='exact')", x: [0.5, 1.5, 2.5], y: null, opts: { alternative: "less", method: "exact" }, statistic: 6.0, pvalue: 1.0 },
  { call: "wilcoxon([0.5, 1.5, 2.5], alternative='less', method='approx')", x: [0.5, 1.5, 2.5], y: null, opts: { alternative: "less", method: "approx" }, statistic: 6.0, pvalue: 0.9455952849797271, zstatistic: 1.6035674514745464 },
  { call: "wilcoxon([0, 0, 0], zero_method='zsplit')", x: [0, 0, 0], y: null, opts: { zeroMethod: 'zsplit' }, statistic: 3.0, pvalue: 1.0 },
];

function check(c: WCase): void {
  const r = wilcoxon(c.x, c.y, c.opts);
  close(r.statistic, c.statistic, 1e-12, `${c.call} statistic`);
  close(r.pvalue, c.pvalue, 1e-12, `${c.call} pvalue`);
  if (c.zstatistic === undefined) assert.equal(r.zstatistic, undefined, `${c.call}: no zstatistic unless method='approx'`);
  else close(r.zstatistic!, c.zstatistic, 1e-12, `${c.call} zstatistic`);
}

test('wilcoxon matches scipy 1.10.1: paired, one-sample, zero methods, ties, auto at n = 50/51, n = 60', () => {
  for (const c of WILCOXON_CASES) check(c);
});

test('wilcoxon matches scipy 1.10.1 for n = 1, 2, 3 and all-zero zsplit', () => {
  for (const c of SMALL_CASES) check(c);
});

test('wilcoxon reports the method it used: zeros turn exact into approx, auto switches above n = 50', () => {
  assert.equal(wilcoxon(A_X, A_Y, { method: 'exact' }).method, 'approx');
  assert.equal(wilcoxon(DOC).method, 'exact');
  assert.equal(wilcoxon(TIES).method, 'exact');
  assert.equal(wilcoxon(D50).method, 'exact');
  assert.equal(wilcoxon(D51).method, 'approx');
  assert.equal(wilcoxon(D51, null, { method: 'exact' }).method, 'exact');
});

test('wilcoxon: paired equals one-sample on the differences', () => {
  const d = A_X.map((v, i) => v - A_Y[i]!);
  for (const zeroMethod of ['wilcox', 'pratt', 'zsplit'] as const) {
    assert.deepEqual(wilcoxon(A_X, A_Y, { zeroMethod }), wilcoxon(d, undefined, { zeroMethod }));
  }
});

test('wilcoxon errors as scipy raises them', () => {
  assert.throws(() => wilcoxon([1, 2], [1, 2, 3]), /same length/);
  // scipy: ValueError "zero_method 'wilcox' and 'pratt' do not work if x - y is zero for all elements."
  assert.throws(() => wilcoxon([1, 2, 3], [1, 2, 3]), /zero for all elements/);
  assert.throws(() => wilcoxon([0, 0], null, { zeroMethod: 'pratt' }), /zero for all elements/);
  assert.throws(() => wilcoxon([1, 2], null, { alternative: 'two_sided' as never }), /alternative must be one of/);
  assert.throws(() => wilcoxon([1, 2], null, { method: 'asymptotic' as never }), /method must be one of/);
  assert.throws(() => wilcoxon([1, 2], null, { zeroMethod: 'split' as never }), /zeroMethod must be one of/);
  assert.throws(() => wilcoxon([1, Infinity]), /must be finite/);
  assert.throws(() => wilcoxon([1, '2' as unknown as number]), /x\[1\] must be a number/);
});

test('wilcoxon: empty input and NaN give NaN, as scipy (nan_policy propagate)', () => {
  // scipy.stats.wilcoxon([]) -> (nan, nan); wilcoxon([1.0, nan, 3.0]) -> (nan, nan)
  for (const r of [wilcoxon([]), wilcoxon([1, NaN, 3]), wilcoxon([1, 2], [3, NaN])]) {
    assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue));
  }
  assert.ok(Number.isNaN(wilcoxon([], null, { method: 'approx' }).zstatistic));
});
