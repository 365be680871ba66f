// Absolute accuracy is a few 1e-15, so the tolerances are relative 1e-14 (1e-15 for large arguments).
// Golden values: closed forms (ln Γ(1/2) = ln √π, Γ(n) = (n - 1)!, B(2, 3) = 1/12, B(1/2, 1/2) = π)
// and scipy 1.10.1 on Debian 12, scipy.special.gammaln(x) / betaln(a, b) with the arguments listed.
// scipy's betaln is cephes' lbeta, which forms ln Γ(q) - ln Γ(p + q) for large q and loses digits
// there (betaln(0.5, 1e6) = -6.3353902120143175, 1e-10 off); that case is checked against the
// expansion ln Γ(q) - ln Γ(q + 1/2) = -ln(q)/2 + 1/(8q) + O(q⁻³) instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logBeta, logGamma } from '../../lib/stats/log-beta.ts';
import { close } from './close.ts';

test('ln Γ: closed forms and scipy.special.gammaln', () => {
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'ln Γ(1/2)');
  assert.ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14, 'ln Γ(1) = ln Γ(2) = 0');
  close(logGamma(10), Math.log(362880), 1e-14, 'ln 9!');
  close(logGamma(171), 706.5730622457874, 1e-14, 'ln 170! (scipy)');
  // scipy.special.gammaln(x)
  close(logGamma(3.7), 1.428072326665388, 1e-14, 'gammaln(3.7)');
  close(logGamma(12.5), 18.73434751193645, 1e-15, 'gammaln(12.5)');
  close(logGamma(1e-3), 6.907178885383853, 1e-15, 'gammaln(1e-3)');
  close(logGamma(150.25), 601.2615040324997, 1e-15, 'gammaln(150.25)');
  assert.throws(() => logGamma(0), /x > 0/);
  assert.ok(Number.isNaN(logGamma(NaN)));
});

test('ln B: closed forms, scipy.special.betaln, and the large-q expansion', () => {
  close(logBeta(2, 3), Math.log(1 / 12), 1e-14, 'B(2, 3) = 1/12');
  close(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-14, 'B(1/2, 1/2) = π');
  // scipy.special.betaln(a, b)
  close(logBeta(0.5, 40), -1.268949865497225, 1e-14, 'betaln(0.5, 40)');
  close(logBeta(12, 30), -25.27486496841981, 1e-14, 'betaln(12, 30)');
  close(logBeta(2.5, 3.5), -3.3018352699620523, 1e-14, 'betaln(2.5, 3.5)');
  // ln B(1/2, q) = ln Γ(1/2) - ln(q)/2 + 1/(8q) - 1/(192 q³) + ...
  const q = 1e6;
  close(logBeta(0.5, q), Math.log(Math.sqrt(Math.PI)) - Math.log(q) / 2 + 1 / (8 * q), 1e-15, 'ln B(1/2, 1e6)');
  assert.equal(logBeta(3, 4), logBeta(4, 3));
});
