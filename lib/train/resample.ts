// From the model's output grid back to the original image: output pixel u (index coordinates)
// covers model-input coordinate (u + 0.5) * outputStride, and the model input is the original
// image scaled by (sx, sy). Original pixel X therefore reads the output grid at
//   u = (X + 0.5) * sx / outputStride - 0.5,
// interpolated bilinearly with edge clamping (as tf.image.resizeBilinear with half-pixel centres).
import { bilinearTaps } from '../models/bilinear-taps.ts';

export interface GridMap {
  /** Output pixel index coordinate per original pixel (X + 0.5) * f - 0.5, with f = scale / stride. */
  fx: number;
  fy: number;
}

/**
 * Channels [c0, c0 + count) of an [h, w, C] map resampled to outH x outW, as [outH, outW, count];
 * `scale` multiplies the values (e.g. offsets converted to original pixels).
 */
export function resampleBilinear(src: Float32Array, w: number, h: number, C: number, c0: number, count: number, outW: number, outH: number, g: GridMap, scale = 1): Float32Array {
  if (src.length !== w * h * C) throw new RangeError(`map has ${src.length} values, expected ${h} x ${w} x ${C}`);
  const tx = bilinearTaps(outW, w, g.fx);
  const ty = bilinearTaps(outH, h, g.fy);
  const out = new Float32Array(outW * outH * count);
  for (let Y = 0; Y < outH; Y++) {
    const r0 = ty.i0[Y] * w;
    const r1 = ty.i1[Y] * w;
    const v = ty.t[Y];
    for (let X = 0; X < outW; X++) {
      const a = tx.i0[X];
      const b = tx.i1[X];
      const u = tx.t[X];
      const o = (Y * outW + X) * count;
      for (let c = 0; c < count; c++) {
        const k = c0 + c;
        const top = src[(r0 + a) * C + k] * (1 - u) + src[(r0 + b) * C + k] * u;
        const bot = src[(r1 + a) * C + k] * (1 - u) + src[(r1 + b) * C + k] * u;
        out[o + c] = (top * (1 - v) + bot * v) * scale;
      }
    }
  }
  return out;
}

/** Argmax over channels [c0, c0 + count) of the bilinearly resampled map, without storing it. */
export function argmaxBilinear(src: Float32Array, w: number, h: number, C: number, c0: number, count: number, outW: number, outH: number, g: GridMap): Int32Array {
  if (src.length !== w * h * C) throw new RangeError(`map has ${src.length} values, expected ${h} x ${w} x ${C}`);
  const tx = bilinearTaps(outW, w, g.fx);
  const ty = bilinearTaps(outH, h, g.fy);
  const out = new Int32Array(outW * outH);
  for (let Y = 0; Y < outH; Y++) {
    const r0 = ty.i0[Y] * w;
    const r1 = ty.i1[Y] * w;
    const v = ty.t[Y];
    for (let X = 0; X < outW; X++) {
      const a = tx.i0[X];
      const b = tx.i1[X];
      const u = tx.t[X];
      const w00 = (1 - u) * (1 - v);
      const w01 = u * (1 - v);
      const w10 = (1 - u) * v;
      const w11 = u * v;
      let best = 0;
      let bv = -Infinity;
      for (let c = 0; c < count; c++) {
        const k = c0 + c;
        const val = src[(r0 + a) * C + k] * w00 + src[(r0 + b) * C + k] * w01 + src[(r1 + a) * C + k] * w10 + src[(r1 + b) * C + k] * w11;
        if (val > bv) {
          bv = val;
          best = c;
        }
      }
      out[Y * outW + X] = best;
    }
  }
  return out;
}
