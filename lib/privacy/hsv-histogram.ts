// Appearance leak of a body (or face) region: how close the colours of the anonymized region
// are to the original person's, the way histogram matching (HM / HM-LO of Hukkelås & Lindseth
// 2023, DeepPrivacy2) reads colours: through the HSV histogram over the person's mask.
//
// The distance is the standard one of OpenCV's histogram comparison (the tutorial "Histogram
// Comparison": 2-D hue-saturation histograms, 50 hue bins over [0, 180) and 60 saturation bins
// over [0, 256), compared with cv2.compareHist(h1, h2, cv2.HISTCMP_BHATTACHARYYA)):
// - colours: cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV) on 8-bit RGB: V = max(R, G, B), S = 255 (V -
//   min) / V, H = (hue in degrees) / 2 in 0..179. OpenCV's 8-bit path does the two divisions
//   with reciprocals rounded to 12 fractional bits, not exactly; `rgbToHsv` does the same, and
//   gives cv2's bytes for all 2^24 colours (test/privacy/hsv-histogram.test.ts checks the
//   sha256 of the whole table against cv2's);
// - histogram: cv2.calcHist([hsv], [0, 1], mask, [hBins, sBins], [0, 180, 0, 256]): uniform
//   bins, bin = floor(value * bins / range), pixel counts over the mask's nonzero pixels;
// - distance: d = sqrt(max(0, 1 - sum_i sqrt(H1_i H2_i) / sqrt(sum H1 * sum H2))) (OpenCV's
//   documented Bhattacharyya / Hellinger distance: 0 for the same colour distribution, 1 for
//   disjoint ones; independent of the histograms' scale, so normalising them first changes
//   nothing).
// Brightness (V) is left out, as in OpenCV's tutorial: hue and saturation are what a colour
// transfer from the original carries over most directly; HM-LO's own loss (S and V histograms,
// lib/anonymize/realistic/hsv-histogram.ts) is a different quantity, a training objective.
import type { Image } from '../data/image.ts';

/** Bins of the hue-saturation histogram (OpenCV's histogram-comparison tutorial). */
export const H_BINS = 50;
export const S_BINS = 60;
/** Ranges of the 8-bit HSV channels: H in [0, 180), S in [0, 256). */
export const H_RANGE = 180;
export const S_RANGE = 256;

/** What `appearanceDistance` computes, for reports. */
export const APPEARANCE_METRIC = `OpenCV compareHist HISTCMP_BHATTACHARYYA of calcHist H-S histograms (${H_BINS} H bins over [0,180), ${S_BINS} S bins over [0,256)) of COLOR_RGB2HSV over the region mask`;

const SHIFT = 12;
const HALF = 1 << (SHIFT - 1);
/** round(255 * 2^12 / v) and round(30 * 2^12 / d): S = 255 d / v and H = 30 n / d with 12-bit reciprocals. */
const RECIP_S = new Int32Array(256);
const RECIP_H = new Int32Array(256);
for (let i = 1; i < 256; i++) {
  RECIP_S[i] = Math.round((255 << SHIFT) / i);
  RECIP_H[i] = Math.round((180 << SHIFT) / (6 * i));
}

/**
 * 8-bit HSV of 8-bit RGB, as cv2.cvtColor(..., COLOR_RGB2HSV): H 0..179, S 0..255, V 0..255.
 * Writes [h, s, v] into `out` (a 3-element array) and returns it.
 */
export function rgbToHsv(r: number, g: number, b: number, out: Uint8Array | number[] = new Uint8Array(3)): Uint8Array | number[] {
  const v = Math.max(r, g, b);
  const d = v - Math.min(r, g, b);
  const s = (d * RECIP_S[v]! + HALF) >> SHIFT;
  // hue numerator in sixths of the circle: red sector first, then green, then blue (ties keep the first)
  const n = v === r ? g - b : v === g ? b - r + 2 * d : r - g + 4 * d;
  let h = (n * RECIP_H[d]! + HALF) >> SHIFT;
  if (h < 0) h += 180;
  out[0] = h;
  out[1] = s;
  out[2] = v;
  return out;
}

export interface HistogramOptions {
  hBins?: number;
  sBins?: number;
}

/**
 * Whether every pixel of `img` under `mask` is achromatic (R = G = B, which is S = 0 in 8-bit
 * HSV): a greyscale photo. Its H-S histogram is one bin, so is a grey fill's, and the distance
 * says nothing about the colours (they have none); the report counts such regions apart.
 */
export function achromatic(img: Image, mask: Uint8Array): boolean {
  const { channels: C, data } = img;
  if (C < 3) return true;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const p = i * C;
    if (data[p] !== data[p + 1] || data[p] !== data[p + 2]) return false;
  }
  return true;
}

/**
 * Hue-saturation histogram of the pixels of `img` (8-bit RGB or RGBA; grey images have H = S = 0) where `mask` is nonzero,
 * row-major hBins x sBins counts (hue major), as cv2.calcHist([hsv], [0, 1], mask, [hBins,
 * sBins], [0, 180, 0, 256]).
 */
export function hsHistogram(img: Image, mask: Uint8Array, opts: HistogramOptions = {}): Float64Array {
  const hBins = opts.hBins ?? H_BINS;
  const sBins = opts.sBins ?? S_BINS;
  if (!(Number.isInteger(hBins) && hBins >= 1 && Number.isInteger(sBins) && sBins >= 1)) throw new RangeError(`histogram bins must be integers >= 1, got ${hBins} x ${sBins}`);
  const { width, height, channels, data } = img;
  if (channels < 1 || channels > 4) throw new Error(`hsHistogram: ${channels} channels, expected grey, grey+alpha, RGB or RGBA`);
  if (mask.length !== width * height) throw new Error(`hsHistogram: mask has ${mask.length} pixels, the image ${width}x${height} = ${width * height}`);
  const grey = channels < 3; // every pixel R = G = B: hue and saturation 0
  // bin of each 8-bit value: floor(value * bins / range), values at or beyond the range clamped to the last bin
  const hBin = new Int32Array(256);
  const sBin = new Int32Array(256);
  const hScale = hBins / H_RANGE;
  const sScale = sBins / S_RANGE;
  for (let v = 0; v < 256; v++) {
    hBin[v] = Math.min(hBins - 1, Math.floor(v * hScale));
    sBin[v] = Math.min(sBins - 1, Math.floor(v * sScale));
  }
  const hist = new Float64Array(hBins * sBins);
  const hsv = new Uint8Array(3);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const p = i * channels;
    if (grey) rgbToHsv(data[p]!, data[p]!, data[p]!, hsv);
    else rgbToHsv(data[p]!, data[p + 1]!, data[p + 2]!, hsv);
    hist[hBin[hsv[0]!]! * sBins + sBin[hsv[1]!]!]! += 1;
  }
  return hist;
}

/**
 * cv2.compareHist(h1, h2, cv2.HISTCMP_BHATTACHARYYA): 0 for proportional histograms, 1 for
 * disjoint ones. An empty histogram has no colour distribution: a RangeError.
 */
export function bhattacharyya(h1: ArrayLike<number>, h2: ArrayLike<number>): number {
  if (h1.length !== h2.length) throw new RangeError(`bhattacharyya: histograms of ${h1.length} and ${h2.length} bins`);
  let s1 = 0;
  let s2 = 0;
  let bc = 0;
  for (let i = 0; i < h1.length; i++) {
    const a = h1[i]!;
    const b = h2[i]!;
    s1 += a;
    s2 += b;
    bc += Math.sqrt(a * b);
  }
  if (!(s1 > 0 && s2 > 0)) throw new RangeError('bhattacharyya: an empty histogram (no pixel under the mask)');
  return Math.sqrt(Math.max(0, 1 - bc / Math.sqrt(s1 * s2)));
}

/** Bhattacharyya distance of the H-S histograms of the same mask in two images of one size. */
export function appearanceDistance(original: Image, anonymized: Image, mask: Uint8Array, opts: HistogramOptions = {}): number {
  if (original.width !== anonymized.width || original.height !== anonymized.height) {
    throw new Error(`appearanceDistance: the original is ${original.width}x${original.height}, the anonymized image ${anonymized.width}x${anonymized.height}`);
  }
  return bhattacharyya(hsHistogram(original, mask, opts), hsHistogram(anonymized, mask, opts));
}
