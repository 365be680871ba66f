// Golden values from scipy 1.10.1 (numpy 1.24.2) on Debian 12: each case is
//   res = scipy.stats.ttest_ind(a, b, equal_var=False, alternative=<alternative>)
//   df = scipy.stats._stats_py._unequal_var_ttest_denom(_var(a, ddof=1), len(a), _var(b, ddof=1), len(b))[0]
// (scipy 1.10 does not return df; that is the value its p-value uses). The statistic and df must be
// equal bit for bit (the same operations in the same order, numpy's pairwise sums included), the
// p-value within 1e-12 relative. The arrays N* are normal samples rounded (numpy default_rng(20240612)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { welchTTest, type WelchResult } from '../../lib/stats/welch.ts';
import type { Alternative } from '../../lib/stats/wilcoxon.ts';
import { close } from './close.ts';

const AP_X = [36.1, 36.4, 36.7];
const AP_Y = [36.6, 36.7, 36.8];
const W4A = [1, 2, 3, 4];
const W4B = [3, 4, 5, 6];
const N3 = [-0.364, 0.492, 2.012];
const N7 = [1.221, 1.204, 1.871, 1.872, 1.264, 1.549, 1.251];
const N5 = [10.177, 14.46, 8.494, 10.599, 8.581];
const N12 = [8.528, 7.458, 8.243, 7.844, 8.262, 7.934, 8.089, 8.708, 8.316, 7.838, 7.38, 7.956];
const N20A = [0.654, -0.842, -0.744, -2.58, 1.92, 0.363, 0.037, -1.037, -0.549, 1.676, -0.157, -2.57, 1.759, 1.882, -0.99, -0.114, 0.953, 1.567, -0.538, -0.572];
const N25B = [1.84, 2.612, -1.438, -1.833, -2.468, 2.16, 0.911, 0.863, -1.029, -1.072, -2.419, -2.879, -2.35, -4.799, 0.317, 2.999, -1.251, 2.093, -0.31, -2.03, -1.534, -0.31, 0.766, -1.159, 1.387];
// 200 and 150 values (df 280: the large-ν branch of the t distribution)
const N200A = [1.9228, 0.3625, 0.6484, -0.3847, -0.6631, -0.5379, -0.4711, 0.201, 0.5494, 2.5726, -0.6967, -0.1764, 0.3114, 0.275, -0.8641, -0.3912, -0.4616, -0.8302, 0.973, 0.8837, -0.4466, -0.0505, -1.7853, -0.7454, -0.9856, -1.2572, 0.952, 1.9687, 0.5154, -0.04, -0.5845, 1.0293, -0.0161, 1.5401, -0.5696, 0.6757, 2.3332, -1.1449, -1.7031, -0.9494, 0.9554, -0.5178, -1.4545, 0.696, -0.6759, -0.6277, -0.3263, 1.0252, 0.7433, 2.597, -0.2687, -0.0571, -0.3591, -0.2517, -0.2777, 1.1136, 1.9457, 0.0304, -0.5687, 0.3243, -0.4152, -0.2086, 0.0465, -0.0992, 0.1023, -0.9841, -0.6179, -0.5484, -0.159, 0.2843, -1.9661, -0.2589, 0.7989, 0.7876, -2.2719, -0.0392, 0.6553, -1.8502, 0.8526, 0.8408, 0.8821, -0.3752, 1.2179, 0.0286, -0.8669, -0.3673, 0.7287, 0.5059, -0.2403, -0.4445, -1.0851, -1.7927, 0.8312, -0.3062, -0.3563, -1.5097, 0.9066, -0.546, 1.5621, 1.0594, 0.4066, -2.0599, -1.0216, 0.0303, -0.7078, 0.8382, -0.151, -0.5259, 0.1555, 0.0962, -0.1809, 0.6154, -0.0865, -0.237, 0.5501, 1.2147, 0.8103, 0.1773, -0.3558, 0.3177, 0.1388, 2.2883, -1.5964, -1.5403, -0.4587, 0.7002, -0.4754, -0.7983, 1.1923, -0.2803, 2.3871, -0.1002, -1.0754, 0.9893, 1.6138, -2.2767, -1.6395, 0.8263, -0.1397, 1.6215, 2.1084, -1.22, -0.9056, 0.8766, -1.4017, -0.7353, -0.1199, -1.0044, -0.5374, -2.6395, -0.2386, -1.0251, -2.5282, 0.1221, 0.6333, 1.5399, -1.5044, -0.5014, -0.7446, 0.5321, -1.2914, 1.0908, -0.7809, 0.4107, 0.6277, 1.5599, -0.927, 0.8471, 1.6007, -1.5756, 1.0833, -1.1159, 1.7483, 0.0363, 1.1742, -0.1125, 1.5394, 0.5841, 0.2726, 1.016, 1.5585, 0.1764, 2.1259, -0.4898, 1.3977, 0.6723, 0.625, -1.2427, 1.2291, -0.4809, 0.6686, 0.0951, -0.7834, -0.0041, 1.09, -0.6676, -0.4441, 0.0822, -0.1405, 0.9756];
const N150B = [2.2399, -0.5506, 1.5949, 1.1821, -0.5501, 0.9206, -0.3312, 2.214, -1.8888, 0.0655, -0.5575, -1.1408, 0.5937, -1.6193, -0.4219, 0.3268, 1.2305, 0.9388, -0.6686, -0.0515, 0.2468, 1.4465, 0.56, -0.6557, 0.7759, -1.0001, 1.6072, -0.3864, 0.6386, -0.3157, 0.4359, 0.4472, 0.75, -0.2147, -0.4532, -0.0523, 0.8967, 2.7116, -1.0361, 1.112, 0.7656, -1.2454, -1.7033, 1.4966, 0.049, 3.657, 0.7492, -0.9578, 0.475, -0.6818, 0.6706, 1.8078, 1.8267, 1.0087, 0.1908, -2.0271, -0.1471, -0.303, 1.1337, 2.1757, -0.2902, 1.5906, 0.7347, -0.5997, 2.0967, 0.8708, 0.595, 0.1313, 0.4831, -1.1064, 0.7915, -0.0951, 1.8405, 1.6307, 1.3865, 1.2953, -2.135, 0.705, 4.3005, 2.0291, -0.6809, 4.1169, -1.9406, -0.1601, -0.0788, 1.003, -0.3822, 0.6773, 1.302, 1.4952, -0.9514, -0.4946, 0.9138, -1.4446, -2.9803, 0.5738, -0.6061, 2.2022, 0.0495, -0.1968, -0.6822, 3.0656, -0.5285, -0.0716, 1.4798, -0.0789, 0.562, -2.0984, 1.3644, 0.6827, 0.7416, -0.1879, -2.4426, -0.7772, -1.2951, -1.4104, 1.1517, -0.7148, -0.8841, -1.403, -0.2055, 2.1695, -0.7771, 0.3445, -0.1736, 1.4279, 1.3843, -0.3468, -1.37, -2.1231, 0.0457, 0.0791, 2.3748, 1.3453, -1.9532, 0.7993, 2.0487, -1.0184, -0.2023, 1.1538, -1.0403, -0.5523, 0.8837, -0.5226, 0.581, 0.3792, -0.4404, 1.2962, -0.3583, -0.5491];
// completely separated: a far-tail p-value
const SEP_A = Array.from({ length: 30 }, (_, i) => i + 1);
const SEP_B = Array.from({ length: 30 }, (_, i) => i + 31);
// nearly constant: numpy's mean of [0.1, 0.1, 0.1] is 0.10000000000000002, so the variances are tiny, not zero
const TENTH = [0.1, 0.1, 0.1];
const FIFTH = [0.2, 0.2, 0.2];

interface Case extends WelchResult {
  a: number[];
  b: number[];
  alternative: Alternative;
}

const CASES: Case[] = [
  { a: AP_X, b: AP_Y, alternative: 'two-sided', statistic: -1.6431676725155218, pvalue: 0.21928450703876726, df: 2.4390243902438824 },
  { a: AP_X, b: AP_Y, alternative: 'less', statistic: -1.6431676725155218, pvalue: 0.10964225351938363, df: 2.4390243902438824 },
  { a: AP_X, b: AP_Y, alternative: 'greater', statistic: -1.6431676725155218, pvalue: 0.8903577464806164, df: 2.4390243902438824 },
  { a: W4A, b: W4B, alternative: 'two-sided', statistic: -2.1908902300206647, pvalue: 0.07098765432098755, df: 6.0 },
  { a: W4A, b: W4B, alternative: 'less', statistic: -2.1908902300206647, pvalue: 0.03549382716049378, df: 6.0 },
  { a: W4A, b: W4B, alternative: 'greater', statistic: -2.1908902300206647, pvalue: 0.9645061728395062, df: 6.0 },
  { a: N3, b: N7, alternative: 'two-sided', statistic: -1.062820523611657, pvalue: 0.394240745238039, df: 2.1097370100439607 },
  { a: N3, b: N7, alternative: 'less', statistic: -1.062820523611657, pvalue: 0.1971203726190195, df: 2.1097370100439607 },
  { a: N3, b: N7, alternative: 'greater', statistic: -1.062820523611657, pvalue: 0.8028796273809805, df: 2.1097370100439607 },
  { a: N5, b: N12, alternative: 'two-sided', statistic: 2.2166472862022544, pvalue: 0.08947542907231266, df: 4.089293299088343 },
  { a: N5, b: N12, alternative: 'less', statistic: 2.2166472862022544, pvalue: 0.9552622854638437, df: 4.089293299088343 },
  { a: N5, b: N12, alternative: 'greater', statistic: 2.2166472862022544, pvalue: 0.04473771453615633, df: 4.089293299088343 },
  { a: N20A, b: N25B, alternative: 'two-sided', statistic: 0.8916163708132845, pvalue: 0.3776689408850139, df: 42.0785507977445 },
  { a: N20A, b: N25B, alternative: 'less', statistic: 0.8916163708132845, pvalue: 0.8111655295574931, df: 42.0785507977445 },
  { a: N20A, b: N25B, alternative: 'greater', statistic: 0.8916163708132845, pvalue: 0.18883447044250695, df: 42.0785507977445 },
  { a: N200A, b: N150B, alternative: 'two-sided', statistic: -1.8028903119505992, pvalue: 0.07247862118396796, df: 280.50113836671426 },
  { a: N200A, b: N150B, alternative: 'less', statistic: -1.8028903119505992, pvalue: 0.03623931059198398, df: 280.50113836671426 },
  { a: N200A, b: N150B, alternative: 'greater', statistic: -1.8028903119505992, pvalue: 0.963760689408016, df: 280.50113836671426 },
  { a: SEP_A, b: SEP_B, alternative: 'two-sided', statistic: -13.198240351921795, pvalue: 4.05641174242689e-19, df: 58.0 },
  { a: SEP_A, b: SEP_B, alternative: 'less', statistic: -13.198240351921795, pvalue: 2.028205871213445e-19, df: 58.0 },
  { a: SEP_A, b: SEP_B, alternative: 'greater', statistic: -13.198240351921795, pvalue: 1.0, df: 58.0 },
  { a: TENTH, b: FIFTH, alternative: 'two-sided', statistic: -4557322397432435.0, pvalue: 1.842351189741129e-46, df: 2.9411764705882355 },
  { a: TENTH, b: FIFTH, alternative: 'less', statistic: -4557322397432435.0, pvalue: 9.211755948705645e-47, df: 2.9411764705882355 },
  { a: TENTH, b: FIFTH, alternative: 'greater', statistic: -4557322397432435.0, pvalue: 1.0, df: 2.9411764705882355 },
];

test('scipy.stats.ttest_ind(a, b, equal_var=False): statistic, p-value and df for every alternative', () => {
  for (const c of CASES) {
    const what = `ttest_ind(${c.a.length} values, ${c.b.length} values, alternative='${c.alternative}')`;
    const r = welchTTest(c.a, c.b, { alternative: c.alternative });
    assert.equal(r.statistic, c.statistic, `${what} statistic`);
    close(r.pvalue, c.pvalue, 1e-12, `${what} p-value`);
    assert.equal(r.df, c.df, `${what} df`);
  }
  assert.deepEqual(welchTTest(AP_X, AP_Y), welchTTest(AP_X, AP_Y, { alternative: 'two-sided' }), 'two-sided by default');
});

test('worked from the definition: t = Δ / sqrt(v1/n1 + v2/n2), Welch–Satterthwaite df, closed-form t CDFs', () => {
  // v1 = 1, v2 = 0: t = -3/sqrt(1/3) = -3√3, df = (1/3)²/((1/3)²/2) = 2; ν = 2: P(|T| >= |t|) = 1 - |t|/sqrt(2 + t²) = 1 - sqrt(27/29)
  let r = welchTTest([1, 2, 3], [5, 5, 5]);
  close(r.statistic, -3 * Math.sqrt(3), 1e-15, 't');
  close(r.df, 2, 1e-15, 'df');
  close(r.pvalue, 1 - Math.sqrt(27 / 29), 1e-13, 'p (ν = 2)');
  // v1 = 2, v2 = 0: t = (1 - 5)/sqrt(2/2) = -4, df = 1 (Cauchy): p = 1 - 2 atan(4)/π
  r = welchTTest([0, 2], [5, 5]);
  assert.equal(r.statistic, -4);
  assert.equal(r.df, 1);
  close(r.pvalue, 1 - (2 * Math.atan(4)) / Math.PI, 1e-14, 'p (ν = 1)');
  // v1 = v2 = 5/3: t = -2/sqrt(5/6), df = (5/6)²/(2 (5/12)²/3) = 6; ν = 6, sin θ = 2/3, cos² θ = 5/9:
  // P(|T| < |t|) = sin θ (1 + cos²θ/2 + 3 cos⁴θ/8) = 301/324, p = 23/324
  r = welchTTest(W4A, W4B);
  close(r.statistic, -2 / Math.sqrt(5 / 6), 1e-15, 't');
  close(r.df, 6, 1e-15, 'df');
  close(r.pvalue, 23 / 324, 1e-13, 'p (ν = 6)');
  // swapping the samples flips t and the one-sided alternatives
  const s = welchTTest(W4B, W4A, { alternative: 'greater' });
  close(s.statistic, 2 / Math.sqrt(5 / 6), 1e-15, 'swapped t');
  close(s.pvalue, 23 / 648, 1e-13, 'swapped greater');
});

test('degenerate samples as scipy: zero variances, one value, empty, NaN and infinity', () => {
  // both variances zero: df 0/0 -> 1 (scipy's substitute), t = -inf, p = 0 (two-sided, less), 1 (greater)
  assert.deepEqual(welchTTest([1, 1, 1], [2, 2, 2]), { statistic: -Infinity, pvalue: 0, df: 1 });
  assert.deepEqual(welchTTest([1, 1, 1], [2, 2, 2], { alternative: 'less' }), { statistic: -Infinity, pvalue: 0, df: 1 });
  assert.deepEqual(welchTTest([1, 1, 1], [2, 2, 2], { alternative: 'greater' }), { statistic: -Infinity, pvalue: 1, df: 1 });
  // equal constants: 0/0
  let r = welchTTest([1, 1, 1], [1, 1, 1]);
  assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue));
  // one value: no variance
  for (const [a, b] of [[[1], [2, 3]], [[1], [2]]]) {
    r = welchTTest(a!, b!);
    assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue), `${a} vs ${b}`);
  }
  // empty: scipy returns NaNs before computing df
  r = welchTTest([], [2, 3]);
  assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue) && Number.isNaN(r.df));
  // nan_policy 'propagate'; an infinity makes the variance NaN
  for (const [a, b] of [[[1, NaN], [2, 3]], [[1, 2], [2, Infinity]], [[-Infinity, 1], [2, 3]]]) {
    r = welchTTest(a!, b!);
    assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue), `${a} vs ${b}`);
  }
  assert.throws(() => welchTTest([1, 2], [3, 4], { alternative: 'sideways' as Alternative }), /alternative must be one of/);
  assert.throws(() => welchTTest([1, '2' as unknown as number], [3, 4]), /a\[1\] must be a number/);
});
