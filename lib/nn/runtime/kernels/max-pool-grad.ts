// MaxPoolGrad for the wasm backend as a JavaScript loop over the wasm heap (the stock kernel walks
// every input pixel and searches all windows covering it). Semantics follow the tfjs cpu kernel
// (maxPoolPositions + maxPoolGrad): in each window, over the pixels inside the input and in
// row-major order, the first strictly greatest value (starting from -Infinity) takes the window's
// dy; windows that overlap add up.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, type Info } from './call.ts';

export function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as Record<string, unknown>;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize as [number, number] | number,
    strides as [number, number] | number,
    1,
    pad as 'same' | 'valid' | number,
    dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const out = backend.makeOutput(input.shape, 'float32');
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  if (filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && padTop === 0 && padLeft === 0 && outHeight * 2 <= inHeight && outWidth * 2 <= inWidth) {
    pool2x2Grad(x, g, dx, batchSize, inHeight, inWidth, c, outHeight, outWidth);
    return out;
  }
  dx.fill(0);
  const best = new Float32Array(c);
  const bestAt = new Int32Array(c);
  const rowStride = inWidth * c;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = yr * strideHeight - padTop;
      const rLo = Math.max(0, r0);
      const rHi = Math.min(inHeight, r0 + filterHeight);
      for (let yc = 0; yc < outWidth; yc++) {
        const c0 = yc * strideWidth - padLeft;
        const cLo = Math.max(0, c0);
        const cHi = Math.min(inWidth, c0 + filterWidth);
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let r = rLo; r < rHi; r++) {
          for (let col = cLo; col < cHi; col++) {
            const base = xb + r * rowStride + col * c;
            for (let d = 0; d < c; d++) {
              const v = x[base + d];
              if (v > best[d]) {
                best[d] = v;
                bestAt[d] = base + d;
              }
            }
          }
        }
        const gb = ((b * outHeight + yr) * outWidth + yc) * c;
        for (let d = 0; d < c; d++) {
          const at = bestAt[d];
          if (at >= 0) dx[at] += g[gb + d];
        }
      }
    }
  }
  return out;
}

/** The common 2x2, stride 2, unpadded case: every covered input pixel is written exactly once. */
function pool2x2Grad(x: Float32Array, g: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number): void {
  if (oh * 2 !== h || ow * 2 !== w) dx.fill(0);
  const row = w * c;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let yr = 0; yr < oh; yr++) {
      let p00 = (b * h + 2 * yr) * row;
      for (let yc = 0; yc < ow; yc++) {
        const p01 = p00 + c;
        const p10 = p00 + row;
        const p11 = p10 + c;
        for (let d = 0; d < c; d++) {
          // First strictly greatest in row-major order, starting from -Infinity.
          let best = -Infinity;
          let at = -1;
          const a = x[p00 + d];
          if (a > best) { best = a; at = 0; }
          const bb = x[p01 + d];
          if (bb > best) { best = bb; at = 1; }
          const cc = x[p10 + d];
          if (cc > best) { best = cc; at = 2; }
          const dd = x[p11 + d];
          if (dd > best) at = 3;
          const v = g[o++];
          dx[p00 + d] = at === 0 ? v : 0;
          dx[p01 + d] = at === 1 ? v : 0;
          dx[p10 + d] = at === 2 ? v : 0;
          dx[p11 + d] = at === 3 ? v : 0;
        }
        p00 += 2 * c;
      }
    }
  }
}
