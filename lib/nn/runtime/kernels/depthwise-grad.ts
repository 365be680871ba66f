// The two gradients of a depthwise convolution (tfjs's DepthwiseConv2dNative) for the wasm
// backend, which has the forward kernel but neither gradient (tfjs 4.22): JavaScript loops over
// the wasm heap, NHWC, channels innermost. They follow the definition the tfjs cpu kernels
// implement (backend_util.computeConv2DInfo with depthwise=true for the geometry: strides,
// dilations, 'same'/'valid'/explicit padding, channel multiplier m, filter [fh, fw, inC, m], output
// channel c * m + j):
//
//   forward  y[b, r, s, c*m+j] = sum_{p,q} x[b, r*sh + p*dh - top, s*sw + q*dw - left, c] * w[p, q, c, j]
//   input    dx[b, u, v, c]    = sum of dy[b, r, s, c*m+j] * w[p, q, c, j] over the (r, s, p, q, j) reaching (u, v)
//   filter   dw[p, q, c, j]    = sum_{b,r,s} x[b, r*sh + p*dh - top, s*sw + q*dw - left, c] * dy[b, r, s, c*m+j]
//
// with taps outside the input skipped (zero padding). For stride 1, an odd filter, 'same' padding
// and m = 1 (the decoders fine-tuned here), the input gradient is the stock forward kernel on dy
// with the filter rotated by 180 degrees, and the filter gradient (m = 1) runs on the SIMD kernel
// of simd-depthwise-filter-grad.ts for its channels in fours, the last C % 4 in JavaScript. test/nn/runtime/depthwise-grad.test.ts checks
// both against the cpu kernels and against the forward kernel's adjoint.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, free, heapF32, heapOffset, type Info } from './call.ts';
import { simdDepthwiseFilterRun } from './simd-depthwise-filter-grad.ts';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Geometry = tf.backend_util.Conv2DInfo;

function geometry(xShape: number[], filterShape: number[], a: DepthwiseAttrs): Geometry {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    true,
  );
}

/**
 * For each tap (p, q) and each output row r: the output columns [s0, s1) whose input pixel lies
 * inside the image, and where the first one's input and output pixels start. `visit` gets the
 * tap's index, the first input and output offsets and the count; consecutive output pixels read
 * input pixels `sw * inC` apart.
 */
function forEachRun(g: Geometry, visit: (tap: number, xOff: number, yOff: number, count: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterHeight: fh, filterWidth: fw } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  for (let q = 0; q < fw; q++) {
    // columns s with 0 <= s*sw + q*dw - left < inWidth
    const s0 = Math.max(0, Math.ceil((left - q * dw) / sw));
    const s1 = Math.min(outWidth, Math.floor((inWidth - 1 + left - q * dw) / sw) + 1);
    if (s1 <= s0) continue;
    const v0 = s0 * sw + q * dw - left;
    for (let p = 0; p < fh; p++) {
      for (let b = 0; b < batchSize; b++) {
        for (let r = 0; r < outHeight; r++) {
          const u = r * sh + p * dh - top;
          if (u < 0 || u >= inHeight) continue;
          visit(p * fw + q, ((b * inHeight + u) * inWidth + v0) * inChannels, ((b * outHeight + r) * outWidth + s0) * outChannels, s1 - s0);
        }
      }
    }
  }
}

interface Steps {
  /** Input channels, channel multiplier. */
  C: number;
  m: number;
  /** Elements between consecutive pixels of a run, in x and in dy. */
  xStep: number;
  yStep: number;
}

/** forEachRun with the run's filter offset (tap * C * m) and the element steps. */
function forEachTapRun(g: Geometry, visit: (steps: Steps, wOff: number, x0: number, y0: number, count: number) => void): void {
  const C = g.inChannels;
  const steps: Steps = { C, m: g.outChannels / C, xStep: g.strideWidth * C, yStep: g.outChannels };
  forEachRun(g, (tap, x0, y0, count) => visit(steps, tap * g.outChannels, x0, y0, count));
}

/** dx (zeroed here) from dy [N, outH, outW, inC*m] and the filter [fh, fw, inC, m]. */
export function depthwiseBackpropInputInto(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry): void {
  dx.fill(0);
  forEachTapRun(g, ({ C, m, xStep, yStep }, wOff, x0, y0, count) => {
    for (let k = 0, xo = x0, yo = y0; k < count; k++, xo += xStep, yo += yStep) {
      if (m === 1) {
        for (let c = 0; c < C; c++) dx[xo + c] += dy[yo + c] * w[wOff + c];
        continue;
      }
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let j = 0; j < m; j++) acc += dy[yo + c * m + j] * w[wOff + c * m + j];
        dx[xo + c] += acc;
      }
    }
  });
}

/** dw [fh, fw, inC, m] from the input x and dy; with m = 1, only channels from `firstChannel` on
 * are written (the others are left as they are), else all of dw (zeroed here). */
export function depthwiseBackpropFilterInto(x: Float32Array, dy: Float32Array, dw: Float32Array, g: Geometry, firstChannel = 0): void {
  if (g.outChannels !== g.inChannels || firstChannel === 0) dw.fill(0);
  else for (let t = 0; t < g.filterHeight * g.filterWidth; t++) dw.fill(0, t * g.inChannels + firstChannel, (t + 1) * g.inChannels);
  forEachTapRun(g, ({ C, m, xStep, yStep }, wOff, x0, y0, count) => {
    if (m === 1) {
      // one channel at a time along the run: a register sum, one write per channel
      for (let c = firstChannel; c < C; c++) {
        let acc = 0;
        for (let k = 0, xo = x0 + c, yo = y0 + c; k < count; k++, xo += xStep, yo += yStep) acc += x[xo] * dy[yo];
        dw[wOff + c] += acc;
      }
      return;
    }
    for (let k = 0, xo = x0, yo = y0; k < count; k++, xo += xStep, yo += yStep) {
      for (let c = 0; c < C; c++) {
        const xv = x[xo + c];
        for (let j = 0; j < m; j++) dw[wOff + c * m + j] += xv * dy[yo + c * m + j];
      }
    }
  });
}

/** The wasm kernel DepthwiseConv2dNativeBackpropInput: inputs {dy, filter}, attrs with inputShape. */
export function depthwiseConv2dNativeBackpropInput(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as DepthwiseAttrs & { inputShape: number[] };
  const g = geometry(attrs.inputShape, filter.shape, attrs);
  if (g.padInfo.type === 'SAME' && g.strideHeight === 1 && g.strideWidth === 1 && g.dilationHeight === 1 && g.dilationWidth === 1 && g.outChannels === g.inChannels && g.filterHeight % 2 === 1 && g.filterWidth % 2 === 1) {
    // stride 1, odd filter, 'same': the input gradient is the forward convolution of dy with the
    // filter rotated by 180 degrees (XNNPACK's depthwise kernel)
    const [fh, fw, C] = filter.shape;
    const rotated = backend.makeOutput(filter.shape, 'float32');
    const src = heapF32(backend, filter);
    const dst = heapF32(backend, rotated);
    for (let p = 0; p < fh; p++) for (let q = 0; q < fw; q++) dst.set(src.subarray((p * fw + q) * C, (p * fw + q + 1) * C), ((fh - 1 - p) * fw + (fw - 1 - q)) * C);
    const out = callKernel(backend, 'DepthwiseConv2dNative', { x: dy, filter: rotated }, { strides: 1, pad: 'same', dilations: 1 });
    free(backend, rotated);
    return out;
  }
  const out = backend.makeOutput(attrs.inputShape, 'float32');
  depthwiseBackpropInputInto(heapF32(backend, dy), heapF32(backend, filter), heapF32(backend, out), g);
  return out;
}

/** The wasm kernel DepthwiseConv2dNativeBackpropFilter: inputs {x, dy}, attrs with filterShape. */
export function depthwiseConv2dNativeBackpropFilter(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as DepthwiseAttrs & { filterShape: number[] };
  const g = geometry(x.shape, attrs.filterShape, attrs);
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  const C = g.inChannels;
  if (g.outChannels === C && C >= 4) {
    // channels in fours on the SIMD kernel, the last C % 4 in JavaScript
    const C4 = C - (C % 4);
    heapF32(backend, out).fill(0);
    const run = simdDepthwiseFilterRun(backend);
    const [px, pdy, pw] = [x, dy, out].map((t) => heapOffset(backend, t));
    forEachRun(g, (tap, x0, y0, count) => run(px + 4 * x0, pdy + 4 * y0, pw + 4 * tap * C, count, 4 * C4, 4 * g.strideWidth * C, 4 * C));
    if (C4 < C) depthwiseBackpropFilterInto(heapF32(backend, x), heapF32(backend, dy), heapF32(backend, out), g, C4);
    return out;
  }
  depthwiseBackpropFilterInto(heapF32(backend, x), heapF32(backend, dy), heapF32(backend, out), g);
  return out;
}
