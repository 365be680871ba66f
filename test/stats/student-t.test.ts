// Golden values from scipy 1.10.1 on Debian 12: [ν, t, scipy.special.stdtr(ν, t)] (the Student t CDF
// that scipy.stats.ttest_ind evaluates its p-values with), compared at relative tolerance 1e-12. Over
// 6,600 points (400 log-uniform ν in [0.1, 1e4] and ν up to 1e10, t log-uniform in ±[1e-3, 1e3]) the
// largest relative difference from scipy is 3.1e-13 where scipy's value is above 1e-300; against
// mpmath at 40 digits it is 2.2e-13 (scipy's: 1.3e-13). Closed forms: ν = 1 (Cauchy,
// 1/2 + atan(t)/π) and ν = 2 (1/2 + t / (2 √(2 + t²))), compared at 1e-14.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studentTCdf, studentTSf } from '../../lib/stats/student-t.ts';
import { normCdf } from '../../lib/stats/normal.ts';
import { close } from './close.ts';

const STDTR: [number, number, number][] = [
  [1.0, -4.0, 0.07797913037736932],
  [1.0, 0.5, 0.6475836176504333],
  [2.0, -5.196152422706632, 0.017549359322992324],
  [2.4390243902438824, -1.6431676725155218, 0.10964225351938363],
  [3.5, -0.001, 0.4996282277359334],
  [5.5, 2.0, 0.9516228048844075],
  [5.5, -40.0, 2.7052549945230548e-8],
  [12.0, -7.5, 3.616835642361941e-6],
  // either side of ν = 30, where the large-ν expansion takes over the tail
  [29.9, -2.1, 0.022135751534235738],
  [30.1, -2.1, 0.022106817824535406],
  [30.1, -0.3, 0.38311963230702883],
  [60.0, -1.0, 0.16066325164662323],
  [60.0, -12.0, 6.893161320908854e-18],
  [60.0, 3.0, 0.9980361513335138],
  [280.5, -1.8, 0.036467519369969024],
  [280.5, -25.0, 1.1894663492458775e-73],
  [10000.0, -0.9, 0.1840709614178932],
  [10000.0, -6.0, 1.0208092364613102e-9],
  [10000.0, -30.0, 1.022163523712853e-189],
  [1000000.0, -4.0, 3.1673517005023895e-5],
  [1000000.0, 2.5, 0.9937902552489184],
  [10000000000.0, 1.775177517605292, 0.9620657096272394],
  [10000000000.0, -8.0, 6.220961231067077e-16],
  [0.5, -3.0, 0.18365407799297176],
  [0.1, -100.0, 0.2633491054092623],
  [1000.0, -1000.0, 0.0],
];

test('Student t CDF: scipy.special.stdtr', () => {
  for (const [df, t, p] of STDTR) {
    close(studentTCdf(t, df), p, 1e-12, `stdtr(${df}, ${t})`);
    close(studentTSf(-t, df), p, 1e-12, `t.sf(${-t}, ${df})`);
  }
});

test('closed forms for ν = 1 and 2; limits and bad arguments as scipy', () => {
  for (const t of [-1e6, -30, -4, -0.5, 0.25, 3]) {
    close(studentTCdf(t, 1), t < 0 ? Math.atan(-1 / t) / Math.PI : 0.5 + Math.atan(t) / Math.PI, 1e-14, `Cauchy at ${t}`);
    // 1/2 - |t|/(2 √(2 + t²)) = 1/(√(2 + t²) (√(2 + t²) + |t|)), without the cancellation
    const s = Math.sqrt(2 + t * t);
    close(studentTCdf(t, 2), t < 0 ? 1 / (s * (s - t)) : 0.5 + t / (2 * s), 1e-14, `ν = 2 at ${t}`);
  }
  assert.equal(studentTCdf(0, 7), 0.5);
  assert.equal(studentTCdf(Infinity, 3), 1);
  assert.equal(studentTCdf(-Infinity, 3), 0);
  assert.equal(studentTCdf(1, Infinity), normCdf(1));
  // ν/t² underflows, t² overflows: the tail still comes out (Cauchy: 1/(π |t|) (1 + O(t⁻²)); scipy's
  // stdtr gives 0 from |t| = 1e160 on)
  close(studentTCdf(-1e150, 1), 3.183098861837906e-151, 1e-13, 'stdtr(1, -1e150)');
  close(studentTCdf(-1e100, 3), 1.1026577908435688e-300, 1e-13, 'stdtr(3, -1e100)');
  close(studentTCdf(-1e200, 1), 1 / (Math.PI * 1e200), 1e-13, 'Cauchy far tail');
  close(studentTCdf(1e200, 1), 1, 1e-16, 'Cauchy far upper tail');
  for (const [t, df] of [[NaN, 3], [1, NaN], [1, 0], [1, -2]]) assert.ok(Number.isNaN(studentTCdf(t!, df!)), `stdtr(${df}, ${t}) is NaN`);
});
