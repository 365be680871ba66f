// Percentiles as numpy.percentile(a, q) computes them with its default method 'linear' (numpy 1.24;
// Hyndman & Fan's definition 7), operation for operation:
//   i = (n - 1) · (q / 100), lo = floor(i), γ = i - lo, with a sorted ascending;
//   the value is a[n - 1] when i >= n - 1, else lerp(a[lo], a[lo + 1], γ) with numpy's _lerp:
//   a + (b - a)·γ, or b - (b - a)·(1 - γ) when γ >= 1/2;
//   a sample holding NaN gives NaN; an empty one is an error (numpy raises on it too).

/** The q-th percentile (0 <= q <= 100) of `values`: numpy.percentile(values, q). */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile q must be in [0, 100], got ${q}`);
  const n = values.length;
  if (n === 0) throw new RangeError('percentile of an empty sample');
  const sorted = Float64Array.from(values).sort();
  // Float64Array sorts NaN last
  if (Number.isNaN(sorted[n - 1]!)) return NaN;
  const index = (n - 1) * (q / 100);
  if (index >= n - 1) return sorted[n - 1]!;
  const lo = Math.floor(index);
  const gamma = index - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
