// The regularized incomplete beta function I_x(a, b) and its complement 1 - I_x(a, b) = I_{1-x}(b, a),
// each to near full relative precision where it is the smaller of the two (scipy.special.betainc and
// its complement).
//
// The continued fraction of Numerical Recipes (3rd ed., §6.4), evaluated by the modified Lentz method:
//   I_x(a, b) = x^a (1-x)^b / (a B(a, b)) · 1/(1 + d1/(1 + d2/(1 + ...))),
//   d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),  d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)),
// which converges fast for x < (a + 1)/(a + b + 2); beyond, the same fraction gives I_{1-x}(b, a) and
// the other is one minus it. The prefactor is exp(a ln x + b ln(1-x) - ln B(a, b)) with ln B from
// lib/stats/log-beta.ts. Callers pass both x and y = 1 - x when they know y more accurately than
// 1 - x would give it (Student's t: y = t²/(ν + t²)).

import { logBeta } from './log-beta.ts';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100000;

/** ln x, taking it from y = 1 - x where x is near 1. */
function logOf(x: number, y: number): number {
  return x < 0.5 ? Math.log(x) : Math.log1p(-y);
}

/** The continued fraction part of I_x(a, b) (Lentz); y = 1 - x. */
function fraction(a: number, b: number, x: number, y: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  // 1 - (a + b) x / (a + 1), written without the cancellation it has for x near 1 and large a
  let d = (qap * y + (1 - b) * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) return h;
  }
  throw new Error(`incomplete beta: the continued fraction did not converge (a = ${a}, b = ${b}, x = ${x})`);
}

/** x^a (1-x)^b / (a B(a, b)) · fraction: the side of the pair the fraction gives directly. */
function direct(a: number, b: number, x: number, y: number): number {
  const front = Math.exp(a * logOf(x, y) + b * logOf(y, x) - logBeta(a, b));
  return front === 0 ? 0 : (front * fraction(a, b, x, y)) / a;
}

/**
 * Both I_x(a, b) and 1 - I_x(a, b), the smaller one computed directly. `y` is 1 - x (default
 * computed from x; pass it when it is known more accurately).
 */
export function betaIncPair(a: number, b: number, x: number, y: number = 1 - x): { p: number; q: number } {
  if ([a, b, x, y].some(Number.isNaN)) return { p: NaN, q: NaN };
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got ${a}, ${b}`);
  if (x < 0 || y < 0 || x > 1 || y > 1) throw new RangeError(`incomplete beta needs 0 <= x <= 1, got x = ${x}, 1 - x = ${y}`);
  if (x === 0) return { p: 0, q: 1 };
  if (y === 0) return { p: 1, q: 0 };
  if (x < (a + 1) / (a + b + 2)) {
    const p = direct(a, b, x, y);
    return { p, q: 1 - p };
  }
  const q = direct(b, a, y, x);
  return { p: 1 - q, q };
}

/** The regularized incomplete beta function I_x(a, b) (scipy.special.betainc(a, b, x)). */
export function betaInc(a: number, b: number, x: number, y?: number): number {
  return betaIncPair(a, b, x, y).p;
}

/** Its complement 1 - I_x(a, b) = I_{1-x}(b, a), without cancellation where it is small. */
export function betaIncComplement(a: number, b: number, x: number, y?: number): number {
  return betaIncPair(a, b, x, y).q;
}
