// Person box sizes relative to the image, as in Hukkelås & Lindseth 2023, Figure 7
// ("cumulative histogram of average bounding box length normalized to image size").
// We take a box's length as the geometric mean of its sides, sqrt(w * h), normalised by the
// image's sqrt(W * H); its square is the fraction of the image area the box covers, the quantity
// the paper's text reads off the figure ("the majority of boxes ... cover less than 1% of the image area").
import type { Dataset } from './types.ts';

export interface BoxSize {
  split: string;
  sample: string;
  instance: number;
  category: string;
  /** sqrt(w*h) / sqrt(W*H). */
  relativeLength: number;
  /** (w*h) / (W*H). */
  areaFraction: number;
}

/** Sizes of the non-crowd, non-ignored instances of `categories` with a non-empty box. */
export function boxSizes(ds: Dataset, categories: readonly string[]): BoxSize[] {
  const want = new Set(categories);
  const out: BoxSize[] = [];
  for (const s of ds.samples) {
    const imageArea = s.width * s.height;
    for (const inst of s.instances) {
      if (!want.has(inst.category) || inst.iscrowd || inst.ignore) continue;
      const a = inst.bbox[2] * inst.bbox[3];
      if (!(a > 0)) continue;
      out.push({ split: ds.split, sample: s.id, instance: inst.id, category: inst.category, areaFraction: a / imageArea, relativeLength: Math.sqrt(a / imageArea) });
    }
  }
  return out;
}

export interface CdfPoint {
  /** The value (relative length). */
  x: number;
  /** Fraction of boxes whose value is <= x (the empirical CDF, right-continuous). */
  cdf: number;
}

/** Empirical CDF: one point per distinct value, the fraction of values <= it. */
export function empiricalCdf(values: readonly number[]): CdfPoint[] {
  const v = [...values].sort((a, b) => a - b);
  const out: CdfPoint[] = [];
  for (let i = 0; i < v.length; i++) {
    if (i + 1 < v.length && v[i + 1] === v[i]) continue;
    out.push({ x: v[i], cdf: (i + 1) / v.length });
  }
  return out;
}
