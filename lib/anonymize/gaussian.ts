// Gaussian kernels and separable Gaussian filtering, following OpenCV 4.x
// (modules/imgproc/src/smooth.dispatch.cpp and smooth.simd.hpp), with BORDER_REFLECT_101
// applied at the image border: a pixel beyond the border reads its mirror image without
// repeating the edge pixel (... 2 1 | 0 1 2 ... w-2 w-1 | w-2 w-3 ...).
//
// Two arithmetic paths:
// - `getGaussianKernel` gives OpenCV's float64 weights; `separableFilterFloat` filters in float64
//   (used for masks and other float data).
// - `gaussianBlurU8` reproduces OpenCV's bit-exact 8-bit path (GaussianBlur on CV_8U images):
//   the weights are quantized to multiples of 1/256 by error diffusion
//   (`fixedPointKernel`), the horizontal pass sums u8 * weight exactly in integers, the vertical
//   pass sums those with the same integer weights, and the result is (sum + 2^15) >> 16.
//   Being integer arithmetic it gives OpenCV's bytes exactly, and it differs from an exact
//   float Gaussian by at most one grey level.
import type { Image } from '../data/image.ts';
import { roundHalfEven } from '../data/round-half-even.ts';
import { maskRuns, type MaskRuns, type PixelBox } from './region-mask.ts';

/**
 * OpenCV's getGaussianKernel(ksize, sigma, CV_64F): ksize weights summing to 1.
 * With sigma <= 0 and ksize 1, 3, 5, 7 or 9, OpenCV 4.x uses a fixed binomial-like table
 * (OpenCV 3.x had the table up to 7 only); otherwise sigma <= 0 means 0.3*((ksize-1)/2 - 1) + 0.8.
 * Weights are exp(-d^2 / (2 sigma^2)) for d = i - (ksize-1)/2, normalized by multiplying
 * with 1 / (their sum), the sum taken as 2 * (left half) + centre as OpenCV does.
 */
export function getGaussianKernel(ksize: number, sigma: number): Float64Array {
  if (!Number.isInteger(ksize) || ksize <= 0) throw new Error(`Gaussian kernel size must be a positive integer, got ${ksize}`);
  if (!Number.isFinite(sigma)) throw new Error(`Gaussian sigma must be finite, got ${sigma}`);
  if (sigma <= 0) {
    const table = SMALL_KERNELS[ksize];
    if (table) return Float64Array.from(table);
  }
  const s = sigma > 0 ? sigma : 0.15 * ksize + 0.35; // = 0.3*((n-1)*0.5 - 1) + 0.8
  const scale2X = -0.125 / (s * s);
  const half = (ksize - 1) >> 1;
  const values = new Float64Array(half);
  let sum = 0;
  for (let i = 0, x = 1 - ksize; i < half; i++, x += 2) {
    // x = 2 * (i - (ksize-1)/2), so x*x * (-1/8) / s^2 = -d^2 / (2 s^2)
    values[i] = Math.exp(x * x * scale2X);
    sum += values[i]!;
  }
  sum = sum * 2 + 1;
  if ((ksize & 1) === 0) sum += 1;
  const mul = 1 / sum;
  const out = new Float64Array(ksize);
  for (let i = 0; i < half; i++) {
    out[i] = values[i]! * mul;
    out[ksize - 1 - i] = out[i]!;
  }
  out[half] = mul;
  if ((ksize & 1) === 0) out[half + 1] = mul;
  return out;
}

const SMALL_KERNELS: Record<number, number[]> = {
  1: [1],
  3: [0.25, 0.5, 0.25],
  5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
  7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
  9: [4 / 256, 13 / 256, 30 / 256, 51 / 256, 60 / 256, 51 / 256, 30 / 256, 13 / 256, 4 / 256],
};


/**
 * OpenCV's getGaussianKernelFixedPoint_ED: an odd float kernel as integers summing to
 * 2^fractionBits. The left half is rounded (half to even) with the rounding error carried to
 * the next weight, mirrored to the right half, and the centre takes what is left.
 */
export function fixedPointKernel(kernel: Float64Array, fractionBits = 8): Int32Array {
  const n = kernel.length;
  if ((n & 1) !== 1) throw new Error(`fixed-point Gaussian kernel needs an odd size, got ${n}`);
  const one = 2 ** fractionBits;
  const out = new Int32Array(n);
  const half = n >> 1;
  let err = 0;
  let sum = 0;
  for (let i = 0; i < half; i++) {
    const adj = kernel[i]! * one + err;
    const v = roundHalfEven(adj);
    err = adj - v;
    out[i] = v;
    out[n - 1 - i] = v;
    sum += v;
  }
  out[half] = one - 2 * sum;
  return out;
}

/** OpenCV borderInterpolate for BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba). */
export function reflect101(p: number, len: number): number {
  if (p >= 0 && p < len) return p;
  if (len === 1) return 0;
  do {
    if (p < 0) p = -p;
    else p = 2 * len - 2 - p;
  } while (p < 0 || p >= len);
  return p;
}

/** Index table: `table[i] = reflect101(start + i, len)` for i in 0..count-1. */
function reflectTable(start: number, count: number, len: number): Int32Array {
  const t = new Int32Array(count);
  for (let i = 0; i < count; i++) t[i] = reflect101(start + i, len);
  return t;
}

/**
 * Blurs an 8-bit image exactly as OpenCV's `GaussianBlur(src, (ksize, ksize), sigma,
 * borderType=BORDER_REFLECT_101)` does for CV_8U, but only where `where` is nonzero (every pixel
 * when `where` is omitted); the other pixels are copied. Pixels beyond the region are read from
 * the real image, and the border rule applies at the real image border only, so the blurred
 * pixels equal those of blurring the whole image. Returns a new image.
 *
 * Work is limited to what the region needs: the horizontal pass runs only at pixels within
 * ksize/2 rows of a region pixel in the same column, the vertical pass only at region pixels.
 * The region is handled as runs of pixels, in bands of columns that hold region pixels (people
 * side by side are separate bands), streaming rows through a ring of ksize horizontal-sum rows.
 * For 3-channel images the three channels of the horizontal pass share one float64 (fields of
 * 2^17: each channel sum is at most 255 * 256 < 2^17) and the vertical pass packs two channels
 * per float64 (fields of 2^25: at most 255 * 65536 < 2^25), all integers below 2^53, so the
 * arithmetic stays exact.
 */
export function gaussianBlurU8(src: Image, ksize: number, sigma: number, where?: Uint8Array): Image {
  const { width: W, height: H, channels: C } = src;
  if ((ksize & 1) !== 1 || ksize < 1) throw new Error(`Gaussian kernel size must be odd and positive, got ${ksize}`);
  if (where !== undefined && where.length !== W * H) throw new Error(`mask: ${where.length} pixels for a ${W}x${H} image`);
  const out: Image = { width: W, height: H, channels: C, data: new Uint8Array(src.data) };
  const runs = where === undefined ? fullRuns(W, H) : maskRuns(where, W, H);
  if (runs.count === 0) return out;
  // OpenCV: a 1-pixel-wide (or -high) image gets a 1-tap kernel along that axis.
  const kx = fixedPointKernel(getGaussianKernel(W === 1 ? 1 : ksize, sigma));
  const ky = fixedPointKernel(getGaussianKernel(H === 1 ? 1 : ksize, sigma));
  for (const band of columnBands(runs)) blurBand(src, out, runs, band, kx, ky);
  return out;
}

function fullRuns(W: number, H: number): MaskRuns {
  const rowStart = new Int32Array(H + 1);
  for (let y = 0; y <= H; y++) rowStart[y] = y;
  return { width: W, height: H, rowStart, starts: new Int32Array(H), ends: new Int32Array(H).fill(W), count: H };
}

/** Maximal column ranges holding region pixels, with the rows of their runs. */
function columnBands(runs: MaskRuns): PixelBox[] {
  const occ = new Uint8Array(runs.width + 1);
  for (let i = 0; i < runs.count; i++) occ.fill(1, runs.starts[i]!, runs.ends[i]!);
  const bands: PixelBox[] = [];
  const bandOf = new Int32Array(runs.width);
  for (let x = 0; x < runs.width; ) {
    if (!occ[x]) {
      x++;
      continue;
    }
    const x0 = x;
    while (occ[x]) bandOf[x++] = bands.length;
    bands.push({ x0, x1: x, y0: runs.height, y1: 0 });
  }
  for (let y = 0; y < runs.height; y++) {
    for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) {
      const b = bands[bandOf[runs.starts[i]!]!]!;
      if (y < b.y0) b.y0 = y;
      if (y + 1 > b.y1) b.y1 = y + 1;
    }
  }
  return bands;
}

const P17 = 2 ** 17;
const P34 = 2 ** 34;
const P25 = 2 ** 25;
const I17 = 2 ** -17;
const I34 = 2 ** -34;
const I25 = 2 ** -25;

function blurBand(src: Image, out: Image, runs: MaskRuns, band: PixelBox, kx: Int32Array, ky: Int32Array): void {
  const { width: W, height: H, channels: C } = src;
  const s = src.data;
  const d = out.data;
  const rx = kx.length >> 1;
  const R = ky.length >> 1;
  const S = 2 * R + 1;
  const bx0 = band.x0;
  const bw = band.x1 - band.x0;
  const ey0 = Math.max(0, band.y0 - R);
  const ey1 = Math.min(H, band.y1 + R);
  const rgb = C === 3;
  // Ring of horizontal sums, slot = row % S. 3 channels: (r + g * 2^25, b) per pixel; else C ints.
  const ringA = rgb ? new Float64Array(S * bw) : new Float64Array(0);
  const ringB = rgb ? new Float64Array(S * bw) : new Float64Array(0);
  const ringI = rgb ? new Int32Array(0) : new Int32Array(S * bw * C);
  const count = new Int32Array(bw);
  const padded = new Float64Array(bw + 2 * rx);
  const acc = new Float64Array(bw);
  const accB = new Float64Array(bw);
  const paddedC = rgb ? new Int32Array(0) : new Int32Array((bw + 2 * rx) * C);
  const slots = new Int32Array(S);
  const inBand = (i: number) => runs.starts[i]! >= bx0 && runs.starts[i]! < band.x1;
  const addRow = (y: number, delta: number) => {
    if (y < band.y0 || y >= band.y1) return;
    for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) {
      if (!inBand(i)) continue;
      for (let x = runs.starts[i]! - bx0, e = runs.ends[i]! - bx0; x < e; x++) count[x]! += delta;
    }
  };

  const horizontal = (p: number, a: number, b: number) => {
    // columns bx0+a .. bx0+b-1 of row p, reading bx0+a-rx .. bx0+b-1+rx (reflected at the border)
    const row = p * W;
    const slot = (p % S) * bw;
    const n = b - a + 2 * rx;
    const first = bx0 + a - rx;
    if (rgb) {
      for (let j = 0; j < n; j++) {
        const o = (row + reflect101(first + j, W)) * 3;
        padded[j] = s[o]! + s[o + 1]! * P17 + s[o + 2]! * P34;
      }
      // tap by tap over the whole run: simple, sequential inner loops
      const m = b - a;
      const wc = kx[rx]!;
      for (let j = 0; j < m; j++) acc[j] = wc * padded[j + rx]!;
      let k = 0;
      for (; k + 1 < rx; k += 2) {
        const wk = kx[k]!;
        const wl = kx[k + 1]!;
        const k2 = 2 * rx - k;
        for (let j = 0; j < m; j++) acc[j]! += wk * (padded[j + k]! + padded[j + k2]!) + wl * (padded[j + k + 1]! + padded[j + k2 - 1]!);
      }
      for (; k < rx; k++) {
        const wk = kx[k]!;
        const k2 = 2 * rx - k;
        for (let j = 0; j < m; j++) acc[j]! += wk * (padded[j + k]! + padded[j + k2]!);
      }
      for (let j = 0; j < m; j++) {
        const v = acc[j]!;
        const hb = Math.floor(v * I34);
        const rest = v - hb * P34;
        const hg = Math.floor(rest * I17);
        ringA[slot + a + j] = rest - hg * P17 + hg * P25;
        ringB[slot + a + j] = hb;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const o = (row + reflect101(first + j, W)) * C;
        for (let c = 0; c < C; c++) paddedC[j * C + c] = s[o + c]!;
      }
      for (let j = 0, x = a; x < b; j++, x++) {
        for (let c = 0; c < C; c++) {
          let sum = kx[rx]! * paddedC[(j + rx) * C + c]!;
          for (let k = 0; k < rx; k++) sum += kx[k]! * (paddedC[(j + k) * C + c]! + paddedC[(j + 2 * rx - k) * C + c]!);
          ringI[(slot + x) * C + c] = sum;
        }
      }
    }
  };

  const vertical = (y: number) => {
    for (let k = 0; k < S; k++) slots[k] = (reflect101(y - R + k, H) % S) * bw;
    for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) {
      if (!inBand(i)) continue;
      const x0 = runs.starts[i]! - bx0;
      const e = runs.ends[i]! - bx0;
      if (rgb) {
        const m = e - x0;
        const wc = ky[R]!;
        const sc = slots[R]! + x0;
        for (let j = 0; j < m; j++) {
          acc[j] = wc * ringA[sc + j]!;
          accB[j] = wc * ringB[sc + j]!;
        }
        let k = 0;
        for (; k + 1 < R; k += 2) {
          // two symmetric tap pairs per sweep
          const wk = ky[k]!;
          const wl = ky[k + 1]!;
          const s1 = slots[k]! + x0;
          const s2 = slots[2 * R - k]! + x0;
          const s3 = slots[k + 1]! + x0;
          const s4 = slots[2 * R - k - 1]! + x0;
          for (let j = 0; j < m; j++) {
            acc[j]! += wk * (ringA[s1 + j]! + ringA[s2 + j]!) + wl * (ringA[s3 + j]! + ringA[s4 + j]!);
            accB[j]! += wk * (ringB[s1 + j]! + ringB[s2 + j]!) + wl * (ringB[s3 + j]! + ringB[s4 + j]!);
          }
        }
        for (; k < R; k++) {
          const wk = ky[k]!;
          const s1 = slots[k]! + x0;
          const s2 = slots[2 * R - k]! + x0;
          for (let j = 0; j < m; j++) {
            acc[j]! += wk * (ringA[s1 + j]! + ringA[s2 + j]!);
            accB[j]! += wk * (ringB[s1 + j]! + ringB[s2 + j]!);
          }
        }
        let o = (y * W + bx0 + x0) * 3;
        for (let j = 0; j < m; j++, o += 3) {
          const v = acc[j]!;
          const g = Math.floor(v * I25);
          d[o] = (v - g * P25 + 32768) >>> 16;
          d[o + 1] = (g + 32768) >>> 16;
          d[o + 2] = (accB[j]! + 32768) >>> 16;
        }
        continue;
      }
      for (let x = x0; x < e; x++) {
        const o = (y * W + bx0 + x) * C;
        for (let c = 0; c < C; c++) {
          let sum = ky[R]! * ringI[(slots[R]! + x) * C + c]!;
          for (let k = 0; k < R; k++) sum += ky[k]! * (ringI[(slots[k]! + x) * C + c]! + ringI[(slots[2 * R - k]! + x) * C + c]!);
          d[o + c] = (sum + 32768) >>> 16;
        }
      }
    }
  };

  let nextY = band.y0;
  // Rows above ey0 hold no region pixel, so the count window can start empty at ey0 - R.
  for (let p = ey0 - R; p < ey1; p++) {
    addRow(p + R, 1);
    addRow(p - R - 1, -1);
    if (p < ey0) continue;
    // the horizontal sums of row p are needed where the window [p-R, p+R] has region pixels
    for (let x = 0; x < bw; ) {
      if (count[x] === 0) {
        x++;
        continue;
      }
      const a = x;
      while (x < bw && count[x] !== 0) x++;
      horizontal(p, a, x);
    }
    while (nextY < band.y1 && Math.min(nextY + R, H - 1) <= p) vertical(nextY++);
  }
}

/**
 * Separable filtering in float64 with BORDER_REFLECT_101 at the image border: returns the
 * filtered values of `box` (default: the whole image), `channels` interleaved, row-major within
 * the box. Pixels outside the box are read from `src` as they are.
 */
export function separableFilterFloat(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  kx: Float64Array,
  ky: Float64Array,
  box: PixelBox = { x0: 0, y0: 0, x1: width, y1: height },
): Float64Array {
  if (src.length !== width * height * channels) throw new Error(`filter input: ${src.length} values for ${width}x${height}x${channels}`);
  const C = channels;
  const rx = kx.length >> 1;
  const ry = ky.length >> 1;
  if ((kx.length & 1) !== 1 || (ky.length & 1) !== 1) throw new Error('separable filter kernels must have odd sizes');
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (bw <= 0 || bh <= 0) return new Float64Array(0);
  const ey0 = Math.max(0, box.y0 - ry);
  const ey1 = Math.min(height, box.y1 + ry);
  const tmp = new Float64Array((ey1 - ey0) * bw * C);
  const cols = reflectTable(box.x0 - rx, bw + 2 * rx, width);
  for (let y = ey0; y < ey1; y++) {
    const rowOff = y * width * C;
    const o = (y - ey0) * bw * C;
    for (let i = 0; i < bw; i++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < kx.length; k++) acc += kx[k]! * src[rowOff + cols[i + k]! * C + c]!;
        tmp[o + i * C + c] = acc;
      }
    }
  }
  const rows = reflectTable(box.y0 - ry, bh + 2 * ry, height);
  const out = new Float64Array(bh * bw * C);
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < ky.length; k++) acc += ky[k]! * tmp[(rows[j + k]! - ey0) * bw * C + i * C + c]!;
        out[(j * bw + i) * C + c] = acc;
      }
    }
  }
  return out;
}
