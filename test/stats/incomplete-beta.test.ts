// Golden values: closed forms (I_x(1, 1) = x; I_x(2, 3) = Σ_(j=2..4) C(4, j) x^j (1 - x)^(4-j);
// I_x(1/2, 1/2) = (2/π) asin √x) and scipy 1.10.1 on Debian 12:
//   [a, b, x, scipy.special.betainc(a, b, x), scipy.special.betainc(b, a, 1 - x)]
// compared at relative tolerance 1e-13 on the smaller of the pair (the larger one is 1 minus it).
// Against mpmath at 40 digits, over 3000 log-uniform (a, b) in [0.1, 1000]² and uniform x, the smaller
// side is within 2.7e-13 (scipy's betainc: 1.2e-12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betaInc, betaIncComplement, betaIncPair } from '../../lib/stats/incomplete-beta.ts';
import { close } from './close.ts';

const SCIPY: [number, number, number, number, number][] = [
  [0.5, 0.5, 0.3, 0.3690101195655454, 0.6309898804344546],
  [10.0, 0.5, 0.9, 0.15164090963470997, 0.8483590903652901],
  [0.5, 10.0, 0.02, 0.46984742386760947, 0.5301525761323904],
  [50.0, 0.5, 0.97, 0.08169933372182267, 0.9183006662781773],
  [3.0, 7.0, 0.999, 0.9999999999999999, 3.5937028000000226e-20],
  [100.0, 100.0, 0.45, 0.07838793271222329, 0.9216120672877778],
  [7.5, 2.25, 0.8, 0.5360556250715172, 0.4639443749284829],
  [25.0, 0.5, 0.2, 4.192027733793493e-19, 0.9999999999999999],
];

test('I_x(a, b) and its complement: scipy.special.betainc', () => {
  for (const [a, b, x, p, q] of SCIPY) {
    const r = betaIncPair(a, b, x);
    if (p <= q) close(r.p, p, 1e-13, `betainc(${a}, ${b}, ${x})`);
    else close(r.q, q, 1e-13, `betainc(${b}, ${a}, 1 - ${x})`);
    close(r.p + r.q, 1, 1e-15, 'the pair sums to 1');
    assert.equal(betaInc(a, b, x), r.p);
    assert.equal(betaIncComplement(a, b, x), r.q);
  }
});

test('closed forms, ends of the interval, bad arguments', () => {
  close(betaInc(1, 1, 0.25), 0.25, 1e-14, 'I_x(1, 1) = x');
  close(betaInc(2, 3, 0.4), 6 * 0.16 * 0.36 + 4 * 0.064 * 0.6 + 0.0256, 1e-14, 'I_0.4(2, 3) = 0.5248');
  close(betaInc(0.5, 0.5, 0.3), (2 / Math.PI) * Math.asin(Math.sqrt(0.3)), 1e-14, 'arcsine law');
  // y given separately keeps its digits where x = 1 - y rounds to 1: I_y(7, 3) = y⁷/(7 B(7, 3)) (1 + O(y)) = 36 y⁷ (1 + O(y))
  close(betaIncComplement(3, 7, 1 - 1e-20, 1e-20), 36e-140, 1e-13, 'I_y(7, 3) for y = 1e-20');
  assert.deepEqual(betaIncPair(2, 3, 0), { p: 0, q: 1 });
  assert.deepEqual(betaIncPair(2, 3, 1), { p: 1, q: 0 });
  assert.ok(Number.isNaN(betaInc(NaN, 1, 0.5)) && Number.isNaN(betaInc(1, 1, NaN)));
  assert.throws(() => betaInc(0, 1, 0.5), /a, b > 0/);
  assert.throws(() => betaInc(1, 1, 1.5), /0 <= x <= 1/);
});
