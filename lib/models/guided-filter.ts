// The guided filter of He, Sun & Tang ("Guided Image Filtering", ECCV 2010 / TPAMI 2013), colour
// guide (their Eq. 19-21): an edge-preserving smoothing of a map p, steered by an RGB image I, in
// which the output is locally an affine function of the guide,
//
//   a_k = (Sigma_k + eps U)^-1 ((1/|w|) sum_{i in w_k} I_i p_i - mu_k pbar_k)
//   b_k = pbar_k - a_k . mu_k
//   q_i = abar_i . I_i + bbar_i
//
// over square windows w_k of radius r (|w| = (2r+1)^2 pixels, clipped at the image border, as the
// reference implementation's box filter by cumulative sums divides by the clipped count), with
// Sigma_k the 3x3 covariance of I in w_k, mu_k its mean and U the identity. The guide is in 0..1.
// Used to bring coarse class-probability maps (output stride 4) to the image's own edges.
//
// With a subsampling factor s > 1 it is the fast guided filter of He & Sun ("Fast Guided Filter",
// arXiv 1505.00996, Algorithm 2): the window statistics and the coefficients a, b are computed on
// the guide and the map subsampled s times (here s x s block means, clipped at the border, where
// their code takes every s-th pixel) with radius r / s, their window means are upsampled
// bilinearly (half-pixel centres, clamped at the border) to the full size, and q = abar . I + bbar
// with the full-resolution guide I. s = 1 is the filter above exactly.
import { bilinearTaps, type Taps } from './bilinear-taps.ts';

/** Mean over the (2r+1)^2 window around each pixel, clipped at the border (divided by the window's pixel count). */
export function boxMean(src: Float32Array, w: number, h: number, r: number): Float32Array {
  // horizontal window sums per row, then a running sum of those rows down the image (row-major
  // throughout, for the cache); sums in float64
  const rows = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let s = 0;
    for (let x = 0; x <= Math.min(r, w - 1); x++) s += src[row + x];
    for (let x = 0; x < w; x++) {
      rows[row + x] = s;
      if (x + r + 1 < w) s += src[row + x + r + 1];
      if (x - r >= 0) s -= src[row + x - r];
    }
  }
  const nx = new Float64Array(w);
  for (let x = 0; x < w; x++) nx[x] = Math.min(w - 1, x + r) - Math.max(0, x - r) + 1;
  const col = new Float64Array(w);
  for (let y = 0; y <= Math.min(r, h - 1); y++) for (let x = 0; x < w; x++) col[x] += rows[y * w + x];
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ny = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1;
    const row = y * w;
    for (let x = 0; x < w; x++) out[row + x] = col[x] / (nx[x] * ny);
    const add = y + r + 1;
    const sub = y - r;
    if (add < h) for (let x = 0; x < w; x++) col[x] += rows[add * w + x];
    if (sub >= 0) for (let x = 0; x < w; x++) col[x] -= rows[sub * w + x];
  }
  return out;
}

/** s x s block means of a w x h plane (blocks clipped at the border): ceil(w / s) x ceil(h / s). */
export function blockMean(src: Float32Array, w: number, h: number, s: number): Float32Array {
  const ws = Math.ceil(w / s);
  const hs = Math.ceil(h / s);
  const out = new Float32Array(ws * hs);
  const n = new Float32Array(ws * hs);
  for (let y = 0; y < h; y++) {
    const row = Math.floor(y / s) * ws;
    for (let x = 0; x < w; x++) {
      const q = row + Math.floor(x / s);
      out[q] += src[y * w + x];
      n[q]++;
    }
  }
  for (let q = 0; q < out.length; q++) out[q] /= n[q];
  return out;
}

/** The guide's window statistics, shared by every map filtered with it. */
export interface Guide {
  /** Full size. */
  w: number;
  h: number;
  /** Subsampling factor, and the grid the statistics live on (ceil(w / s) x ceil(h / s)). */
  s: number;
  ws: number;
  hs: number;
  /** Window radius on that grid. */
  r: number;
  /** The guide's channels, 0..1, planar [3][w*h], full size. */
  full: Float32Array[];
  /** The same on the statistics' grid. */
  I: Float32Array[];
  mean: Float32Array[];
  /** (Sigma_k + eps U)^-1 per pixel, symmetric: [xx, xy, xz, yy, yz, zz]. */
  inv: Float32Array[];
  /** Bilinear taps (half-pixel centres, clamped) from the statistics' grid to the full size (s > 1). */
  taps?: { tx: Taps; ty: Taps };
}

/** Window statistics of an interleaved 8-bit RGB image (`channels` values per pixel, the first
 * three RGB), for radius r in full-size pixels; with s > 1 on the s-times subsampled grid (radius
 * max(1, round(r / s))), the fast guided filter. */
export function prepareGuide(rgb: Uint8Array, W: number, H: number, channels: number, R: number, eps: number, s = 1): Guide {
  if (!(R >= 1 && Number.isInteger(R))) throw new RangeError(`guided filter radius must be an integer >= 1, got ${R}`);
  if (!(eps > 0)) throw new RangeError(`guided filter eps must be > 0, got ${eps}`);
  if (!(s >= 1 && Number.isInteger(s))) throw new RangeError(`guided filter subsampling must be an integer >= 1, got ${s}`);
  if (rgb.length !== W * H * channels || channels < 3) throw new RangeError(`guide has ${rgb.length} values, expected ${W} x ${H} x ${channels} (>= 3 channels)`);
  const full = [0, 1, 2].map((c) => {
    const a = new Float32Array(W * H);
    for (let p = 0; p < W * H; p++) a[p] = rgb[p * channels + c] / 255;
    return a;
  });
  const w = Math.ceil(W / s);
  const h = Math.ceil(H / s);
  const r = s === 1 ? R : Math.max(1, Math.round(R / s));
  const n = w * h;
  const I = s === 1 ? full : full.map((a) => blockMean(a, W, H, s));
  const mean = I.map((a) => boxMean(a, w, h, r));
  const prod = (i: number, j: number) => {
    const a = new Float32Array(n);
    for (let p = 0; p < n; p++) a[p] = I[i][p] * I[j][p];
    const m = boxMean(a, w, h, r);
    for (let p = 0; p < n; p++) m[p] -= mean[i][p] * mean[j][p];
    return m;
  };
  const [xx, xy, xz, yy, yz, zz] = [prod(0, 0), prod(0, 1), prod(0, 2), prod(1, 1), prod(1, 2), prod(2, 2)];
  const inv = Array.from({ length: 6 }, () => new Float32Array(n));
  for (let p = 0; p < n; p++) {
    const a = xx[p] + eps;
    const b = xy[p];
    const c = xz[p];
    const d = yy[p] + eps;
    const e = yz[p];
    const f = zz[p] + eps;
    // inverse of the symmetric [[a b c] [b d e] [c e f]] by cofactors
    const A = d * f - e * e;
    const B = c * e - b * f;
    const C = b * e - c * d;
    const det = a * A + b * B + c * C;
    inv[0][p] = A / det;
    inv[1][p] = B / det;
    inv[2][p] = C / det;
    inv[3][p] = (a * f - c * c) / det;
    inv[4][p] = (b * c - a * e) / det;
    inv[5][p] = (a * d - b * b) / det;
  }
  return { w: W, h: H, s, ws: w, hs: h, r, full, I, mean, inv, taps: s > 1 ? { tx: bilinearTaps(W, w, 1 / s), ty: bilinearTaps(H, h, 1 / s) } : undefined };
}

/** Map p [w*h] filtered with the guide. */
export function guidedFilter(g: Guide, p: Float32Array): Float32Array {
  const { w: W, h: H, s, ws: w, hs: h, r, I, mean, inv, full } = g;
  if (p.length !== W * H) throw new RangeError(`map has ${p.length} values, the guide ${W} x ${H}`);
  const n = w * h;
  const ps = s === 1 ? p : blockMean(p, W, H, s);
  const pm = boxMean(ps, w, h, r);
  const cov = [0, 1, 2].map((c) => {
    const a = new Float32Array(n);
    for (let q = 0; q < n; q++) a[q] = I[c][q] * ps[q];
    const m = boxMean(a, w, h, r);
    for (let q = 0; q < n; q++) m[q] -= mean[c][q] * pm[q];
    return m;
  });
  const ax = new Float32Array(n);
  const ay = new Float32Array(n);
  const az = new Float32Array(n);
  const b = new Float32Array(n);
  for (let q = 0; q < n; q++) {
    const [c0, c1, c2] = [cov[0][q], cov[1][q], cov[2][q]];
    ax[q] = inv[0][q] * c0 + inv[1][q] * c1 + inv[2][q] * c2;
    ay[q] = inv[1][q] * c0 + inv[3][q] * c1 + inv[4][q] * c2;
    az[q] = inv[2][q] * c0 + inv[4][q] * c1 + inv[5][q] * c2;
    b[q] = pm[q] - ax[q] * mean[0][q] - ay[q] * mean[1][q] - az[q] * mean[2][q];
  }
  const [mx, my, mz, mb] = [boxMean(ax, w, h, r), boxMean(ay, w, h, r), boxMean(az, w, h, r), boxMean(b, w, h, r)];
  const out = new Float32Array(W * H);
  if (s === 1) {
    for (let q = 0; q < n; q++) out[q] = mx[q] * full[0][q] + my[q] * full[1][q] + mz[q] * full[2][q] + mb[q];
    return out;
  }
  // q = abar . I + bbar with abar, bbar upsampled bilinearly (upsampleBilinear's taps), in one pass
  const { tx, ty } = g.taps!;
  const [I0, I1, I2] = full;
  for (let Y = 0; Y < H; Y++) {
    const r0 = ty.i0[Y] * w;
    const r1 = ty.i1[Y] * w;
    const v = ty.t[Y];
    for (let X = 0; X < W; X++) {
      const u = tx.t[X];
      const k00 = r0 + tx.i0[X];
      const k01 = r0 + tx.i1[X];
      const k10 = r1 + tx.i0[X];
      const k11 = r1 + tx.i1[X];
      const w00 = (1 - u) * (1 - v);
      const w01 = u * (1 - v);
      const w10 = (1 - u) * v;
      const w11 = u * v;
      const q = Y * W + X;
      out[q] =
        (mx[k00] * w00 + mx[k01] * w01 + mx[k10] * w10 + mx[k11] * w11) * I0[q] +
        (my[k00] * w00 + my[k01] * w01 + my[k10] * w10 + my[k11] * w11) * I1[q] +
        (mz[k00] * w00 + mz[k01] * w01 + mz[k10] * w10 + mz[k11] * w11) * I2[q] +
        (mb[k00] * w00 + mb[k01] * w01 + mb[k10] * w10 + mb[k11] * w11);
    }
  }
  return out;
}

/**
 * Each channel of an interleaved [w*h*C] map filtered with the guide. With `minPeak`, a channel
 * whose values stay below it everywhere is copied unfiltered: for class probabilities (summing to
 * 1 over C channels) with minPeak <= 1 / C, such a class cannot win a pixel's argmax, since the
 * filter is linear and keeps constants, so the filtered classes still sum to about 1 (saves the
 * work for the classes absent from an image).
 */
export function guidedFilterChannels(g: Guide, maps: Float32Array, C: number, minPeak = -Infinity): Float32Array {
  const n = g.w * g.h;
  if (maps.length !== n * C) throw new RangeError(`maps have ${maps.length} values, expected ${n} x ${C}`);
  const out = new Float32Array(n * C);
  const plane = new Float32Array(n);
  for (let c = 0; c < C; c++) {
    let peak = -Infinity;
    for (let q = 0; q < n; q++) {
      plane[q] = maps[q * C + c];
      if (plane[q] > peak) peak = plane[q];
    }
    const f = peak < minPeak ? plane : guidedFilter(g, plane);
    for (let q = 0; q < n; q++) out[q * C + c] = f[q];
  }
  return out;
}
