// HM-LO's loss (Hukkelås & Lindseth 2023, Eq. 1): L = W1(P_S(x), P_S(y)) + W1(P_V(x), P_V(y)),
// the Wasserstein-1 distances between the histograms of the S and V channels of the HSV
// transforms of the original crop x and the generated crop y.
//
// HSV: V = max(R, G, B), S = (V - min(R, G, B)) / V (0 where V = 0), on RGB in [0, 1]
// (skimage.color.rgb2hsv's S and V; kornia's rgb_to_hsv, which DP2 uses, divides by V + 1e-8).
// Histograms: 256 bins centred on t_j = j / 255 (DP2: torch.linspace(0, 1, 256)). The soft
// histogram gives each value v (clamped to [0, 1]) to its two neighbouring centres by linear
// interpolation: p = 255 v, weight 1 - (p - floor p) to bin floor p and the rest to the next, i.e. the
// triangular kernel max(0, 1 - |p - j|). Every value adds exactly 1, so the histogram (divided
// by the pixel count) sums to 1; for 8-bit values (V of an 8-bit image) it equals the hard
// histogram exactly, and otherwise it differs from the nearest-centre hard histogram by moving
// mass less than half a bin. It is piecewise linear in v, so gradients flow to the pixels.
// (DP2's code uses kornia's Gaussian-kernel histogram with bandwidth 1, as wide as the whole
// range; the paper defines the loss by histograms, which this follows.)
// W1 between two distributions on the grid t_j: sum_j |F_a(t_j) - F_b(t_j)| * (t_{j+1} - t_j) =
// sum over the first 255 CDF values of |dCDF| / 255 (scipy.stats.wasserstein_distance with the
// grid as values and the histograms as weights gives the same number).
import * as tf from '@tensorflow/tfjs';

export const HIST_BINS = 256;

export interface SVHistograms {
  s: Float64Array;
  v: Float64Array;
}

/** S and V of RGB pixels (interleaved; `scale` maps the stored values to [0, 1], e.g. 1/255 for bytes). */
export function rgbToSV(rgb: ArrayLike<number>, scale = 1): { s: Float64Array; v: Float64Array } {
  const n = rgb.length / 3;
  const s = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rgb[3 * i]! * scale;
    const g = rgb[3 * i + 1]! * scale;
    const b = rgb[3 * i + 2]! * scale;
    const mx = Math.max(r, g, b);
    const mn = Math.min(r, g, b);
    v[i] = mx;
    s[i] = mx > 0 ? (mx - mn) / Math.max(mx, 1e-8) : 0;
  }
  return { s, v };
}

/** Soft (linear-interpolation) histogram of values in [0, 1] (clamped), normalised to sum 1. */
export function softHistogram(values: ArrayLike<number>, bins = HIST_BINS): Float64Array {
  const h = new Float64Array(bins);
  const n = values.length;
  if (n === 0) return h;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1, Math.max(0, values[i]!)) * (bins - 1);
    const lo = Math.floor(p);
    const f = p - lo;
    h[lo]! += 1 - f;
    if (lo + 1 < bins) h[lo + 1]! += f;
  }
  for (let j = 0; j < bins; j++) h[j]! /= n;
  return h;
}

/** Hard histogram: each value to its nearest bin centre (ties up), normalised to sum 1. */
export function hardHistogram(values: ArrayLike<number>, bins = HIST_BINS): Float64Array {
  const h = new Float64Array(bins);
  const n = values.length;
  for (let i = 0; i < n; i++) h[Math.floor(Math.min(1, Math.max(0, values[i]!)) * (bins - 1) + 0.5)]! += 1;
  if (n > 0) for (let j = 0; j < bins; j++) h[j]! /= n;
  return h;
}

/** Wasserstein-1 distance between two histograms on the grid j / (bins - 1). */
export function w1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`w1: histograms of ${a.length} and ${b.length} bins`);
  let ca = 0;
  let cb = 0;
  let d = 0;
  for (let j = 0; j < a.length - 1; j++) {
    ca += a[j]!;
    cb += b[j]!;
    d += Math.abs(ca - cb);
  }
  return d / (a.length - 1);
}

/** S and V histograms of RGB pixels. */
export function svHistograms(rgb: ArrayLike<number>, scale = 1, bins = HIST_BINS): SVHistograms {
  const { s, v } = rgbToSV(rgb, scale);
  return { s: softHistogram(s, bins), v: softHistogram(v, bins) };
}

/** The HM-LO loss between the reference histograms and RGB pixels (values times `scale` in [0, 1]). */
export function hmloLoss(ref: SVHistograms, rgb: ArrayLike<number>, scale = 1): number {
  const h = svHistograms(rgb, scale, ref.s.length);
  return w1(ref.s, h.s) + w1(ref.v, h.v);
}

// ---- tfjs (differentiable) -----------------------------------------------------------------

/** S and V of [n, H, W, 3] RGB in [0, 1]: two [n, H*W] tensors. */
export function tfSV(rgb: tf.Tensor4D): { s: tf.Tensor2D; v: tf.Tensor2D } {
  return tf.tidy(() => {
    const [n, h, w] = rgb.shape;
    const mx = tf.max(rgb, 3);
    const mn = tf.min(rgb, 3);
    const s = tf.div(tf.sub(mx, mn), tf.maximum(mx, 1e-8));
    return { s: tf.reshape(s, [n, h * w]) as tf.Tensor2D, v: tf.reshape(mx, [n, h * w]) as tf.Tensor2D };
  });
}

/** Soft histograms of [n, P] values (clamped to [0, 1]): [n, bins], each summing to 1. */
export function tfSoftHistogram(values: tf.Tensor2D, bins = HIST_BINS): tf.Tensor2D {
  return tf.tidy(() => {
    const P = values.shape[1];
    const p = tf.mul(tf.clipByValue(values, 0, 1), bins - 1); // [n, P]
    const centres = tf.range(0, bins, 1, 'float32'); // [bins]
    const k = tf.relu(tf.sub(1, tf.abs(tf.sub(tf.expandDims(p, 2), centres)))); // [n, P, bins]
    return tf.div(tf.sum(k, 1), P) as tf.Tensor2D;
  });
}

/** W1 between [n, bins] histograms and one reference [bins]: [n]. */
export function tfW1(h: tf.Tensor2D, ref: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const bins = h.shape[1];
    const d = tf.abs(tf.sub(tf.cumsum(h, 1), tf.cumsum(ref)));
    return tf.div(tf.sum(tf.slice(d, [0, 0], [-1, bins - 1]), 1), bins - 1) as tf.Tensor1D;
  });
}

/** The HM-LO loss of [n, H, W, 3] RGB in [0, 1] against reference histograms: [n]. */
export function tfHmloLoss(rgb: tf.Tensor4D, refS: tf.Tensor1D, refV: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const { s, v } = tfSV(rgb);
    return tf.add(tfW1(tfSoftHistogram(s, refS.shape[0]), refS), tfW1(tfSoftHistogram(v, refV.shape[0]), refV)) as tf.Tensor1D;
  });
}
