// Histogram matching for realistic anonymization (Hukkelås & Lindseth 2023, Sec. 3.4, "HM"):
// the synthesized crop is matched per RGB channel to the original crop with skimage's
// `exposure.match_histograms(image, reference, channel_axis=-1)`, then pasted with a blurred mask:
//   y_new = x * (1 - M_blurred) + y * M_blurred,  M_blurred = M blurred by a 19x19 Gaussian, sigma 9.
//
// skimage `_match_cumulative_cdf` (same result in 0.19 and in the current bincount form): for
// each channel, source quantiles q_s(v) = (count of source values <= v) / N_source for every
// value present, template quantiles likewise over the template's present values, and the
// matched value is numpy.interp(q_s(v), q_t, template values): linear between the two template
// values whose quantiles bracket q_s(v), the first template value below the first quantile.
// With channel_axis set, match_histograms writes each channel into `np.empty(image.shape,
// dtype=image.dtype)`, so for uint8 input it RETURNS uint8: numpy's float64 -> uint8 assignment
// truncates toward zero (the values lie in 0..255, so no clipping happens). `matchHistograms`
// returns exactly that uint8 image; `matchHistogramsFloat` returns the float64 values before
// the cast (what `_match_cumulative_cdf` returns).
import type { Image } from '../data/image.ts';
import { checkMask } from './region-mask.ts';
import { roundHalfEven } from '../data/round-half-even.ts';
import { getGaussianKernel, separableFilterFloat } from './gaussian.ts';
import { growBox, maskBox } from './region-mask.ts';

/** numpy.interp(x, xp, fp) with the default left = fp[0], right = fp[-1] (numpy's compiled loop). */
export function npInterp(x: number, xp: Float64Array, fp: Float64Array): number {
  const n = xp.length;
  if (x < xp[0]!) return fp[0]!;
  if (x > xp[n - 1]!) return fp[n - 1]!;
  // j with xp[j] <= x < xp[j+1] (or j = n-1 when x == xp[n-1])
  let lo = 0;
  let hi = n - 1;
  if (x === xp[n - 1]!) return fp[n - 1]!;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const j = lo;
  if (xp[j] === x) return fp[j]!;
  const slope = (fp[j + 1]! - fp[j]!) / (xp[j + 1]! - xp[j]!);
  return slope * (x - xp[j]!) + fp[j]!;
}

/** The 256-entry lookup v -> matched value for one channel (entries for absent v unused). */
function channelLookup(src: Uint8Array, ref: Uint8Array, C: number, c: number): Float64Array {
  const sc = new Float64Array(256);
  const tc = new Float64Array(256);
  const ns = src.length / C;
  const nt = ref.length / C;
  for (let i = c; i < src.length; i += C) sc[src[i]!]!++;
  for (let i = c; i < ref.length; i += C) tc[ref[i]!]!++;
  const tv: number[] = [];
  const tq: number[] = [];
  let cum = 0;
  for (let v = 0; v < 256; v++) {
    if (tc[v] === 0) continue;
    cum += tc[v]!;
    tv.push(v);
    tq.push(cum / nt);
  }
  const xp = Float64Array.from(tq);
  const fp = Float64Array.from(tv);
  const lut = new Float64Array(256);
  cum = 0;
  for (let v = 0; v < 256; v++) {
    cum += sc[v]!;
    if (sc[v] === 0) continue;
    lut[v] = npInterp(cum / ns, xp, fp);
  }
  return lut;
}

function checkPair(image: Image, reference: Image): void {
  if (image.channels !== reference.channels) {
    throw new Error(`match-histograms: the image has ${image.channels} channels, the reference ${reference.channels}`);
  }
  if (image.data.length === 0 || reference.data.length === 0) throw new Error('match-histograms: empty image');
}

/** skimage's float64 matched values (before any cast), interleaved like the image. */
export function matchHistogramsFloat(image: Image, reference: Image): Float64Array {
  checkPair(image, reference);
  const C = image.channels;
  const out = new Float64Array(image.data.length);
  for (let c = 0; c < C; c++) {
    const lut = channelLookup(image.data, reference.data, C, c);
    for (let i = c; i < out.length; i += C) out[i] = lut[image.data[i]!]!;
  }
  return out;
}

/**
 * skimage `match_histograms(image, reference, channel_axis=-1)` on uint8 images, exactly:
 * the matched float64 values truncated to uint8. Each channel is matched on its own.
 */
export function matchHistograms(image: Image, reference: Image): Image {
  const f = matchHistogramsFloat(image, reference);
  const data = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) data[i] = Math.trunc(f[i]!);
  return { width: image.width, height: image.height, channels: image.channels, data };
}

export interface PasteOptions {
  /** Gaussian kernel size for the mask (default 19, the paper's). */
  ksize?: number;
  /** Gaussian sigma for the mask (default 9, the paper's). */
  sigma?: number;
  /** Divide the blurred mask by its maximum, as DeepPrivacy2's code does (default false). */
  normalizeMax?: boolean;
}

export const PASTE_DEFAULTS = { ksize: 19, sigma: 9 };

/**
 * The paper's HM paste: out = original * (1 - Mb) + replacement * Mb, Mb = the 0/1 mask blurred
 * with a ksize x ksize Gaussian (OpenCV weights, float64, BORDER_REFLECT_101 at the image border),
 * rounded half to even and clamped (as DeepPrivacy2 writes its float result: round().clamp().byte()).
 * Pixels farther than ksize/2 from the mask keep the original exactly; the blend reaches that far
 * outside the mask (and region pixels near its edge keep part of the original).
 * DeepPrivacy2's code (dp2/anonymizer/histogram_match_anonymizers.py) uses sigma 10 and divides
 * the blurred mask by its maximum; we follow the paper's text (sigma 9, no rescaling); both are options.
 * Beware: DP2 pastes in its 288x160 crop, where a body is large. Applied at image resolution, a
 * region narrower than about 40 pixels never reaches Mb = 1 (a 10x10 region: 0.35 at its centre),
 * so the original shows through; paste in crop space (`normalizeMax` brings only the centre to 1).
 */
export function pasteWithBlurredMask(original: Image, replacement: Image, mask: Uint8Array, opts: PasteOptions = {}): Image {
  checkMask(original, mask);
  if (replacement.width !== original.width || replacement.height !== original.height || replacement.channels !== original.channels) {
    throw new Error(
      `paste: replacement is ${replacement.width}x${replacement.height}x${replacement.channels}, original ${original.width}x${original.height}x${original.channels}`,
    );
  }
  const ksize = opts.ksize ?? PASTE_DEFAULTS.ksize;
  const sigma = opts.sigma ?? PASTE_DEFAULTS.sigma;
  if (!Number.isInteger(ksize) || ksize < 1 || ksize % 2 !== 1) throw new Error(`paste: ksize must be a positive odd integer, got ${ksize}`);
  const { width: W, height: H, channels: C } = original;
  const data = new Uint8Array(original.data);
  const tight = maskBox(mask, W, H);
  if (!tight) return { width: W, height: H, channels: C, data };
  const box = growBox(tight, ksize >> 1, W, H);
  const k = getGaussianKernel(ksize, sigma);
  const mb = separableFilterFloat(mask.map((v) => (v !== 0 ? 1 : 0)), W, H, 1, k, k, box);
  let scale = 1;
  if (opts.normalizeMax) {
    let mx = 0;
    for (let i = 0; i < mb.length; i++) mx = Math.max(mx, mb[i]!);
    if (mx > 0) scale = 1 / mx;
  }
  const bw = box.x1 - box.x0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const a = mb[(y - box.y0) * bw + (x - box.x0)]! * scale;
      if (a === 0) continue;
      const o = (y * W + x) * C;
      for (let c = 0; c < C; c++) {
        const v = original.data[o + c]! * (1 - a) + replacement.data[o + c]! * a;
        data[o + c] = Math.min(255, Math.max(0, roundHalfEven(v)));
      }
    }
  }
  return { width: W, height: H, channels: C, data };
}
