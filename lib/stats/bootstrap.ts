// Percentile bootstrap confidence interval of a difference of means, as
//   scipy.stats.bootstrap((x, y), lambda a, b: np.mean(a) - np.mean(b), method='percentile',
//                         vectorized=False, paired=False, n_resamples=10000, confidence_level=0.95)
// defines it (scipy 1.10): each of B resamples draws n1 values from x and n2 values from y with
// replacement, independently (paired=False), and takes mean(x*) - mean(y*); the interval is the
// α·100-th and (1 - α)·100-th percentiles of those B differences, α = (1 - level)/2, with numpy's
// default 'linear' percentile (lib/stats/percentile.ts). Defaults: 10,000 resamples (scipy's default
// is 9,999), 95%.
//
// The draws come from the project's seeded generator (lib/data/rng.ts, xoshiro128** keyed by a
// string), so a seed gives the same interval on every machine; scipy's numpy generator draws other
// numbers, so the two agree within Monte-Carlo error, not digit for digit. As in scipy, each sample
// needs two or more values; a NaN in either sample gives NaN bounds (its resamples' means are NaN,
// and a percentile of values holding NaN is NaN).

import { Rng } from '../data/rng.ts';
import { percentile } from './percentile.ts';
import { numberArray } from './sample.ts';

export interface BootstrapOptions {
  /** Number of resamples B (default 10,000). */
  resamples?: number;
  /** Confidence level of the interval (default 0.95). */
  confidenceLevel?: number;
  /** Seed of the draws (default 0): any number or string, e.g. the identity of what is resampled. */
  seed?: number | string;
}

export interface BootstrapInterval {
  low: number;
  high: number;
}

function checkSample(values: ArrayLike<number>, name: string): Float64Array {
  const out = numberArray(values, name);
  if (out.length < 2) throw new RangeError(`${name} must hold two or more values to bootstrap (it has ${out.length})`);
  return out;
}

/** Mean of `n` values drawn with replacement from `xs`. */
function resampleMean(xs: Float64Array, rng: Rng): number {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[Math.floor(rng.next() * n)]!;
  return s / n;
}

/**
 * Percentile bootstrap confidence interval of mean(x) - mean(y), x and y resampled independently.
 * Deterministic for a given seed; see the file comment for the definition.
 */
export function bootstrapMeanDifference(x: ArrayLike<number>, y: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapInterval {
  const resamples = options.resamples ?? 10000;
  const level = options.confidenceLevel ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${level}`);
  const xs = checkSample(x, 'x');
  const ys = checkSample(y, 'y');

  const rng = new Rng(`bootstrap/${options.seed ?? 0}`);
  const diffs = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) diffs[b] = resampleMean(xs, rng) - resampleMean(ys, rng);
  const alpha = (1 - level) / 2;
  return { low: percentile(diffs, alpha * 100), high: percentile(diffs, (1 - alpha) * 100) };
}
