// Golden values from the definition: mpmath 1.2.1 at 40 digits, float(mpmath.betainc(a, 0.5, 0, x,
// regularized=True)) for the double x listed. scipy 1.10.1's special.betainc (cephes incbet) is itself
// off by 3e-11 at a = 5e4 and 1.5e-7 at a = 5e9 there, so it is no reference for this regime; its
// stdtr (cdflib), which the t-tests use, is (test/stats/student-t.test.ts).
import { test } from 'node:test';
import { betaIncHalfLargeA } from '../../lib/stats/incomplete-beta-large-a.ts';
import { betaIncPair } from '../../lib/stats/incomplete-beta.ts';
import { close } from './close.ts';

// [a, x, I_x(a, 1/2)]
const MPMATH: [number, number, number][] = [
  [15.0, 0.96, 0.2724258973275779],
  [15.0, 0.6, 0.00010292101786378169],
  [50.0, 0.99, 0.3173043978741974],
  [50.0, 0.8, 2.4501734135038074e-6],
  [500.0, 0.999, 0.31731044730971714],
  [500.0, 0.95, 8.058818455657017e-13],
  [50000.0, 0.99998, 0.15729816926360526],
  [50000.0, 0.99988, 0.0005318171164251042],
  [5000000000.0, 0.9999999997, 0.08326450389119573],
  [5000000000.0, 0.99999999, 1.523969837314602e-23],
];

test('I_x(a, 1/2) for large a: the definition (mpmath), where the continued fraction loses digits', () => {
  for (const [a, x, expected] of MPMATH) {
    // 1 - x is exact for x in [1/2, 1]
    close(betaIncHalfLargeA(a, x, 1 - x), expected, 2e-13, `I_${x}(${a}, 1/2)`);
  }
  // where both apply (moderate a), the two methods agree
  for (const [a, x] of [[15, 0.96], [50, 0.8], [500, 0.999]] as const) close(betaIncHalfLargeA(a, x, 1 - x), betaIncPair(a, 0.5, x, 1 - x).p, 1e-13, `both methods at a = ${a}`);
});
