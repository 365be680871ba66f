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
import { growBox, maskBox, type PixelBox } from './region-mask.ts';

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

/** Round half to even (cvRound on x86, numpy.rint, torch.round). */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

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
 * pixels equal those of blurring the whole image. Work is limited to what the region needs:
 * the horizontal pass runs only at pixels within `ksize/2` rows of a region pixel in the same
 * column, the vertical pass only at region pixels. Returns a new image.
 */
export function gaussianBlurU8(src: Image, ksize: number, sigma: number, where?: Uint8Array): Image {
  const { width: w, height: h, channels: C } = src;
  if ((ksize & 1) !== 1 || ksize < 1) throw new Error(`Gaussian kernel size must be odd and positive, got ${ksize}`);
  const out: Image = { width: w, height: h, channels: C, data: new Uint8Array(src.data) };
  const all = where === undefined;
  if (where !== undefined && where.length !== w * h) throw new Error(`mask: ${where.length} pixels for a ${w}x${h} image`);
  const box: PixelBox | null = all ? { x0: 0, y0: 0, x1: w, y1: h } : maskBox(where, w, h);
  if (!box) return out;
  // OpenCV: a 1-pixel-wide (or -high) image gets a 1-tap kernel along that axis.
  const kx = fixedPointKernel(getGaussianKernel(w === 1 ? 1 : ksize, sigma));
  const ky = fixedPointKernel(getGaussianKernel(h === 1 ? 1 : ksize, sigma));
  const rx = kx.length >> 1;
  const ry = ky.length >> 1;
  const bw = box.x1 - box.x0;
  const ext = growBox(box, ry, w, h);
  const ey0 = ext.y0;
  const eh = ext.y1 - ext.y0;

  // need[(y-ey0)*bw + (x-x0)]: the horizontal sum at (x, y) is read by some region pixel.
  let need: Uint8Array | null = null;
  if (!all) {
    need = new Uint8Array(eh * bw);
    const count = new Int32Array(bw);
    const m = where!;
    // Sliding window over rows [y-ry, y+ry] per column; rows above ey0 hold no region pixel.
    for (let y = ey0 - ry; y < ext.y1; y++) {
      const add = y + ry;
      if (add >= 0 && add < h) {
        const row = add * w + box.x0;
        for (let i = 0; i < bw; i++) if (m[row + i] !== 0) count[i]!++;
      }
      const drop = y - ry - 1;
      if (drop >= 0 && drop < h) {
        const row = drop * w + box.x0;
        for (let i = 0; i < bw; i++) if (m[row + i] !== 0) count[i]!--;
      }
      if (y >= ey0 && y < ext.y1) {
        const o = (y - ey0) * bw;
        for (let i = 0; i < bw; i++) if (count[i]! > 0) need[o + i] = 1;
      }
    }
  }

  // Horizontal pass: exact integer sums (max 255 * 256 per value).
  const hs = new Int32Array(eh * bw * C);
  const cols = reflectTable(box.x0 - rx, bw + 2 * rx, w);
  for (let i = 0; i < cols.length; i++) cols[i] = cols[i]! * C;
  const s = src.data;
  for (let y = ey0; y < ext.y1; y++) {
    const rowOff = y * w * C;
    const o = (y - ey0) * bw;
    for (let i = 0; i < bw; i++) {
      if (need !== null && need[o + i] === 0) continue;
      const dst = (o + i) * C;
      for (let c = 0; c < C; c++) {
        const base = rowOff + c;
        let acc = kx[rx]! * s[base + cols[i + rx]!]!;
        for (let k = 0; k < rx; k++) acc += kx[k]! * (s[base + cols[i + k]!]! + s[base + cols[i + 2 * rx - k]!]!);
        hs[dst + c] = acc;
      }
    }
  }

  // Vertical pass at region pixels: (sum + 2^15) >> 16.
  const rows = reflectTable(box.y0 - ry, box.y1 - box.y0 + 2 * ry, h);
  for (let i = 0; i < rows.length; i++) rows[i] = (rows[i]! - ey0) * bw * C;
  const stride = C;
  const d = out.data;
  for (let y = box.y0; y < box.y1; y++) {
    const ri = y - box.y0;
    const mrow = y * w;
    for (let i = 0; i < bw; i++) {
      const x = box.x0 + i;
      if (!all && where![mrow + x] === 0) continue;
      const col = i * stride;
      const dst = (mrow + x) * C;
      for (let c = 0; c < C; c++) {
        const base = col + c;
        let acc = ky[ry]! * hs[rows[ri + ry]! + base]!;
        for (let k = 0; k < ry; k++) acc += ky[k]! * (hs[rows[ri + k]! + base]! + hs[rows[ri + 2 * ry - k]! + base]!);
        d[dst + c] = (acc + 32768) >>> 16;
      }
    }
  }
  return out;
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
