// Conv2DBackpropFilter for the wasm backend (which has none). When the output channels are a
// multiple of 4, our SIMD kernel computes it in place on the heap (simd-filter-grad.ts); otherwise
// it is one forward convolution on the fast XNNPACK Conv2D, as follows.
//
// For a forward NHWC convolution with stride s, padding (pt, pl) and dilation 1,
//   dW[ky,kx,ci,co] = sum_{n,i,j} x[n, i*sh + ky - pt, j*sw + kx - pl, ci] * dy[n,i,j,co].
// Read x^T = transpose(x, [3,1,2,0]) as a batch of C_in images of size H x W with N channels and
// dy^T = transpose(dy, [1,2,0,3]) as a filter of size Ho x Wo, N input and C_out output channels.
// Their convolution with stride 1, dilation (sh, sw) (the forward stride dilates the filter) and
// padding top pt, left pl is
//   out[ci,ky,kx,co] = sum_{i,j,n} x^T[ci, ky + i*sh - pt, kx + j*sw - pl, n] * dy^T[i,j,n,co],
// i.e. dW with the batch and channel axes swapped: dW = transpose(out, [1,2,0,3]). The bottom and
// right padding are whatever makes the output exactly kh x kw:
//   pb = kh + (Ho-1)*sh - H - pt   (negative: the last rows of x never meet the filter; crop them).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, transpose, type Info } from './call.ts';
import { nhwcToChwn, nhwcToHwnc } from './transpose-js.ts';
import { convGeometry, convPadded, type ConvGeometry } from './conv-geometry.ts';
import { simdFilterGrad, simdFilterGradApplies } from './simd-filter-grad.ts';

export function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  const filterShape = attrs.filterShape as number[];
  const g = convGeometry(x.shape, filterShape, attrs.strides as [number, number], attrs.pad, attrs.dataFormat, attrs.dimRoundingMode);
  if (dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`Conv2DBackpropFilter: dy shape [${dy.shape}] does not match the convolution output [${g.batch},${g.outH},${g.outW},${g.outC}]`);
  }
  if (simdFilterGradApplies(g) && !forceConvFormulation) return simdFilterGrad(backend, x, dy, g);
  return convFilterGrad(backend, x, dy, g);
}

/** Test hook: use the convolution formulation even where the SIMD kernel applies. */
let forceConvFormulation = false;
export function setForceConvFilterGrad(on: boolean): void {
  forceConvFormulation = on;
}

/** The convolution formulation described at the top. */
export function convFilterGrad(backend: BackendWasm, x: Info, dy: Info, g: ConvGeometry): Info {
  const xt = nhwcToChwn(backend, x);
  const dyt = nhwcToHwnc(backend, dy);
  const padBottom = g.kh + (g.outH - 1) * g.sh - g.inH - g.padTop;
  const padRight = g.kw + (g.outW - 1) * g.sw - g.inW - g.padLeft;
  const r = convPadded(backend, xt, dyt, [g.padTop, padBottom, g.padLeft, padRight], [g.sh, g.sw]);
  free(backend, xt, dyt);
  const out = transpose(backend, r, [1, 2, 0, 3]);
  free(backend, r);
  return out;
}
