// Image resampling as torchvision's `resize` does it on tensors, for the crop-based
// (DeepPrivacy2-style) anonymization:
// - bicubic with antialias=True: Pillow's convolution resampling (PIL/Resample.c, which
//   torch's `_upsample_bicubic2d_aa` ports): the cubic filter with a = -0.5, its support widened by
//   the scale when shrinking, pixel centres at (i + 0.5) * scale, weights normalized per output
//   pixel, horizontal pass then vertical pass. Computed in float64 (torch uses float32 on CPU).
// - nearest: source index floor(i * (in / out)) in float32, clamped to in - 1 (torch 'nearest').
// Values are interleaved channels, row-major, float64 in and out.

export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float64Array;
}

function cubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Taps {
  start: Int32Array;
  count: Int32Array;
  ksize: number;
  weights: Float64Array;
}

function bicubicTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 2 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * ksize);
  const ss = 1 / filterscale;
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const v = cubic((x + xmin - center + 0.5) * ss);
      weights[i * ksize + x] = v;
      ww += v;
    }
    if (ww !== 0) for (let x = 0; x < xmax; x++) weights[i * ksize + x]! /= ww;
    start[i] = xmin;
    count[i] = xmax;
  }
  return { start, count, ksize, weights };
}

/** Antialiased bicubic resize (torchvision BICUBIC, antialias=True; Pillow BICUBIC). */
export function resizeBicubicAA(src: FloatImage, outW: number, outH: number): FloatImage {
  const { width: w, height: h, channels: C } = src;
  if (!(outW > 0 && outH > 0)) throw new Error(`resize: bad output size ${outW}x${outH}`);
  let cur = src;
  if (outW !== w) {
    const t = bicubicTaps(w, outW);
    const out = new Float64Array(outW * h * C);
    for (let y = 0; y < h; y++) {
      for (let i = 0; i < outW; i++) {
        const s0 = t.start[i]!;
        const n = t.count[i]!;
        for (let c = 0; c < C; c++) {
          let acc = 0;
          for (let k = 0; k < n; k++) acc += t.weights[i * t.ksize + k]! * cur.data[(y * w + s0 + k) * C + c]!;
          out[(y * outW + i) * C + c] = acc;
        }
      }
    }
    cur = { width: outW, height: h, channels: C, data: out };
  }
  if (outH !== h) {
    const t = bicubicTaps(h, outH);
    const W = cur.width;
    const out = new Float64Array(W * outH * C);
    for (let j = 0; j < outH; j++) {
      const s0 = t.start[j]!;
      const n = t.count[j]!;
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < C; c++) {
          let acc = 0;
          for (let k = 0; k < n; k++) acc += t.weights[j * t.ksize + k]! * cur.data[((s0 + k) * W + x) * C + c]!;
          out[(j * W + x) * C + c] = acc;
        }
      }
    }
    cur = { width: W, height: outH, channels: C, data: out };
  }
  return cur === src ? { ...src, data: new Float64Array(src.data) } : cur;
}

/** torch 'nearest' resize: source index floor(i * float32(in/out)), clamped. */
export function resizeNearest(src: FloatImage, outW: number, outH: number): FloatImage {
  const { width: w, height: h, channels: C } = src;
  const sx = Math.fround(w / outW);
  const sy = Math.fround(h / outH);
  const out = new Float64Array(outW * outH * C);
  for (let j = 0; j < outH; j++) {
    const y = Math.min(Math.floor(Math.fround(j * sy)), h - 1);
    for (let i = 0; i < outW; i++) {
      const x = Math.min(Math.floor(Math.fround(i * sx)), w - 1);
      for (let c = 0; c < C; c++) out[(j * outW + i) * C + c] = src.data[(y * w + x) * C + c]!;
    }
  }
  return { width: outW, height: outH, channels: C, data: out };
}
