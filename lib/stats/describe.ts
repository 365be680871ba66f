// Descriptive statistics: mean, sample standard deviation, standard error of the mean.
// Follows numpy.mean, numpy.std(ddof=1) and scipy.stats.sem (ddof=1): an empty sample has a NaN mean,
// a sample of one a NaN standard deviation and standard error (numpy divides by n - ddof = 0; here any
// n <= ddof gives NaN).

/** Sum with Neumaier's compensation, so the mean does not drift with long or badly scaled samples. */
function sum(xs: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  // with an infinity in the sample the compensation is inf - inf; the plain sum is the answer
  return Number.isFinite(s) ? s + c : s;
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: ArrayLike<number>): number {
  return xs.length === 0 ? NaN : sum(xs) / xs.length;
}

/** Sample variance with `ddof` delta degrees of freedom (default 1): Σ(x - mean)² / (n - ddof). */
export function variance(xs: ArrayLike<number>, ddof = 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(xs);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = (xs[i]! - m) ** 2;
  return sum(dev) / (n - ddof);
}

/** Sample standard deviation (ddof 1 unless given): numpy.std(xs, ddof=1). */
export function std(xs: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(xs, ddof));
}

/** Standard error of the mean, std(ddof 1) / √n: scipy.stats.sem(xs). */
export function sem(xs: ArrayLike<number>, ddof = 1): number {
  return std(xs, ddof) / Math.sqrt(xs.length);
}

export interface Description {
  n: number;
  mean: number;
  /** Sample standard deviation, ddof 1. */
  sd: number;
  /** Standard error of the mean, sd / √n. */
  se: number;
}

/** n, mean, sample standard deviation and standard error of one sample. */
export function describe(xs: ArrayLike<number>): Description {
  return { n: xs.length, mean: mean(xs), sd: std(xs), se: sem(xs) };
}
