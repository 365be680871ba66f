// ln Γ(x) and ln B(a, b) for positive arguments, accurate to a few 1e-15 in absolute terms, which is
// what the incomplete beta function's prefactor x^a (1-x)^b / B(a, b) needs when it is taken as an
// exponential. (jstat's gammaln is a 6-term Lanczos series, good to about 1e-10.)
//
//   - ln Γ(x) for x >= 10 by Stirling's series (x - 1/2) ln x - x + ln(2π)/2 + δ(x), with the
//     correction δ(x) = Σ B_2k / (2k (2k - 1) x^(2k-1)) to 8 terms (the next is below 2e-18 at 10);
//     for x < 10 by the recurrence Γ(x) = Γ(x + k) / (x (x + 1) ... (x + k - 1)) up to x + k >= 10;
//   - ln B(a, b), p = min(a, b), q = max(a, b), without forming two large ln Γ and subtracting them
//     (the way TOMS 708's betaln splits it): for p >= 10
//       ln B = ln(2π)/2 - (ln q)/2 + (p - 1/2) ln(p / (p + q)) - q log1p(p / q) + δ(p) + δ(q) - δ(p + q);
//     for p < 10 <= q
//       ln B = ln Γ(p) - (q - 1/2) log1p(p / q) - p ln(p + q) + p + δ(q) - δ(p + q);
//     below, ln Γ(p) + ln Γ(q) - ln Γ(p + q), all three small.

const HALF_LN_2PI = 0.9189385332046728; // ln(2π) / 2

// B_2k / (2k (2k - 1)), k = 1 .. 8
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/** Stirling's correction δ(x) = ln Γ(x) - [(x - 1/2) ln x - x + ln(2π)/2], for x >= 10. */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  let s = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) s = s * r2 + STIRLING[k]!;
  return s * r;
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + stirlingCorrection(x);
  let prod = 1;
  let z = x;
  while (z < 10) {
    prod *= z;
    z += 1;
  }
  return logGamma(z) - Math.log(prod);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b) for a, b > 0. */
export function logBeta(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (!(a > 0 && b > 0)) throw new RangeError(`logBeta needs a, b > 0, got ${a}, ${b}`);
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (q === Infinity) return -Infinity;
  if (p >= 10) {
    return HALF_LN_2PI - 0.5 * Math.log(q) - (p - 0.5) * Math.log1p(q / p) - q * Math.log1p(p / q) + stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
  }
  if (q >= 10) {
    return logGamma(p) - (q - 0.5) * Math.log1p(p / q) - p * Math.log(p + q) + p + stirlingCorrection(q) - stirlingCorrection(p + q);
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}
