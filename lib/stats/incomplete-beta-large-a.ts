// I_x(a, 1/2) for large a: the Student t tail with many degrees of freedom, where the continued
// fraction of lib/stats/incomplete-beta.ts loses digits to cancellation (1e-12 at ν = 1e5, 5e-8 at
// ν = 1e10). DiDonato & Morris's asymptotic expansion (TOMS 708, BGRAT; Boost's
// beta_small_b_large_a_series) with b = 1/2, where the incomplete gamma function it needs is
// Q(1/2, u) = erfc(√u):
//   T = a + (b - 1)/2,  u = -T ln x,  H = u^b e^(-u) / Γ(b),  M = H · Γ(a + b) / (Γ(a) T^b),
//   I_x(a, b) = M · Σ_n p_n J_n,
//   J_0 = Q(b, u) / H,  J_n = ((b + 2n - 2)(b + 2n - 1) J_(n-1) + (u + b + 2n - 1) (ln(x)/2)^(2n-2)) / (4T²),
//   p_0 = 1,  p_n = (b - 1)/(2n + 1)! + (1/n) Σ_(m=1..n-1) (m b - n) p_(n-m) / (2m + 1)!.
// The first term M·J_0 = Γ(a + b)/(Γ(a) √T) · erfc(√u) is taken as it stands, so that it does not
// underflow through H. Meant for a >= 15 and x > 1/2 with a (1 - x) > 0.49 (where TOMS 708's
// bratio calls BGRAT for this case).

import { logBeta } from './log-beta.ts';
import { erfc } from './normal.ts';

const B = 0.5;
const TERMS = 30;
const EPS = 2.220446049250313e-16;

// (2k + 1)! for k = 0 .. TERMS
const ODD_FACTORIAL: number[] = [];
for (let k = 0, f = 1; k <= TERMS; k++) {
  if (k > 0) f *= 2 * k * (2 * k + 1);
  ODD_FACTORIAL.push(f);
}

/** I_x(a, 1/2) for large a and x > 1/2; y = 1 - x. */
export function betaIncHalfLargeA(a: number, x: number, y: number): number {
  const t = a + (B - 1) / 2;
  const lx = y < 0.35 ? Math.log1p(-y) : Math.log(x);
  const u = -t * lx;
  // Γ(a + 1/2)/Γ(a) = Γ(1/2)/B(a, 1/2)
  const ratio = Math.sqrt(Math.PI) * Math.exp(-logBeta(a, B));
  let sum = (ratio / Math.sqrt(t)) * erfc(Math.sqrt(u));
  const h = Math.sqrt(u / Math.PI) * Math.exp(-u);
  if (h === 0) return sum;
  const prefix = (h * ratio) / Math.sqrt(t);
  let j = erfc(Math.sqrt(u)) / h;
  const p = [1];
  const lx2 = (lx / 2) * (lx / 2);
  const t4 = 4 * t * t;
  let lxp = 1;
  let b2n = B;
  for (let n = 1; n < TERMS; n++) {
    let pn = 0;
    for (let m = 1; m < n; m++) pn += ((m * B - n) * p[n - m]!) / ODD_FACTORIAL[m]!;
    pn = pn / n + (B - 1) / ODD_FACTORIAL[n]!;
    p.push(pn);
    j = (b2n * (b2n + 1) * j + (u + b2n + 1) * lxp) / t4;
    lxp *= lx2;
    b2n += 2;
    const r = prefix * pn * j;
    sum += r;
    if (Math.abs(r) < EPS * Math.abs(sum)) break;
  }
  return sum;
}
