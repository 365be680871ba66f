// A square window of an image resampled to a detector's n x n input, as float RGB.
//
// The window is [ox, ox + side) x [oy, oy + side) in image pixels (it may reach outside the
// image: outside pixels are black). Resampling is separable linear interpolation with
// antialiasing, the triangle filter of PIL's BILINEAR resize: output sample i covers source
// position ox + (i + 0.5) * scale (pixel centres at j + 0.5), the filter's half-width is
// max(1, scale), and weights are normalised to sum 1 over the taps inside the window (the
// window is treated as a cut-out image: its pixels outside the image are black, pixels beyond
// the window are not used). Values are mapped to [-1, 1] as (v / 127.5) - 1, BlazeFace's
// input range.
import type { Image } from '../data/image.ts';

export interface SquareWindow {
  ox: number;
  oy: number;
  side: number;
}

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  maxTaps: number;
}

/**
 * Filter taps along one axis: n outputs over the window [o, o + side). Taps are limited to the
 * window's pixels (floor(o) .. ceil(o + side) - 1) and their weights normalised there, as a
 * resize of the cut-out window would; window pixels outside the image are zeros when applied.
 */
function taps(o: number, side: number, n: number): Taps {
  const scale = side / n;
  const support = Math.max(1, scale);
  const lo = Math.floor(o);
  const hi = Math.ceil(o + side) - 1;
  const maxTaps = Math.ceil(support) * 2 + 2;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float64Array(n * maxTaps);
  for (let i = 0; i < n; i++) {
    const c = o + (i + 0.5) * scale; // source coordinate of the sample's centre
    const j0 = Math.max(lo, Math.floor(c - support - 0.5) + 1);
    const j1 = Math.min(hi, Math.ceil(c + support - 0.5) - 1);
    let sum = 0;
    let m = 0;
    start[i] = j0;
    for (let j = j0; j <= j1 && m < maxTaps; j++, m++) {
      const wgt = Math.max(0, 1 - Math.abs(j + 0.5 - c) / support);
      weights[i * maxTaps + m] = wgt;
      sum += wgt;
    }
    count[i] = m;
    if (sum > 0) for (let t = 0; t < m; t++) weights[i * maxTaps + t] /= sum;
  }
  return { start, count, weights, maxTaps };
}

/**
 * n * n * 3 floats in [-1, 1], row-major RGB, of the window `win` of `img` (1, 3 or 4 channels);
 * written to `out` from `offset` when given (several windows laid end to end), else to a new array.
 */
export function squareInput(img: Image, win: SquareWindow, n: number, out?: Float32Array, offset = 0): Float32Array {
  const { width: W, height: H, channels: C, data } = img;
  if (!(win.side > 0)) throw new RangeError(`squareInput: window side must be > 0, got ${win.side}`);
  if (C !== 1 && C !== 3 && C !== 4) throw new RangeError(`squareInput: ${C} channels, expected 1, 3 or 4`);
  if (out && !(Number.isInteger(offset) && offset >= 0 && offset + n * n * 3 <= out.length)) throw new RangeError(`squareInput: ${n * n * 3} values do not fit at offset ${offset} of ${out.length}`);
  const tx = taps(win.ox, win.side, n);
  const ty = taps(win.oy, win.side, n);
  // horizontal pass over every source row the vertical pass needs
  let r0 = Infinity;
  let r1 = -Infinity;
  for (let i = 0; i < n; i++) {
    r0 = Math.min(r0, ty.start[i]);
    r1 = Math.max(r1, ty.start[i] + ty.count[i] - 1);
  }
  r0 = Math.max(0, r0);
  r1 = Math.min(H - 1, r1);
  const rows = Math.max(0, r1 - r0 + 1);
  const mid = new Float64Array(rows * n * 3);
  for (let y = r0; y <= r1; y++) {
    const rowBase = y * W * C;
    const mBase = (y - r0) * n * 3;
    for (let i = 0; i < n; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const s = tx.start[i];
      for (let t = 0; t < tx.count[i]; t++) {
        const x = s + t;
        if (x < 0 || x >= W) continue;
        const wgt = tx.weights[i * tx.maxTaps + t];
        const p = rowBase + x * C;
        if (C === 1) {
          r += wgt * data[p];
        } else {
          r += wgt * data[p];
          g += wgt * data[p + 1];
          b += wgt * data[p + 2];
        }
      }
      if (C === 1) g = b = r;
      mid[mBase + i * 3] = r;
      mid[mBase + i * 3 + 1] = g;
      mid[mBase + i * 3 + 2] = b;
    }
  }
  const dst = out ?? new Float32Array(n * n * 3);
  const base = out ? offset : 0;
  for (let j = 0; j < n; j++) {
    const s = ty.start[j];
    for (let i = 0; i < n; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let t = 0; t < ty.count[j]; t++) {
        const y = s + t;
        if (y < r0 || y > r1) continue;
        const wgt = ty.weights[j * ty.maxTaps + t];
        const m = (y - r0) * n * 3 + i * 3;
        r += wgt * mid[m];
        g += wgt * mid[m + 1];
        b += wgt * mid[m + 2];
      }
      const o = base + (j * n + i) * 3;
      dst[o] = r / 127.5 - 1;
      dst[o + 1] = g / 127.5 - 1;
      dst[o + 2] = b / 127.5 - 1;
    }
  }
  return dst;
}
