// Conv2DBackpropInput for the wasm backend, as one forward convolution (the stock kernel is a
// direct loop, several times slower): for stride 1 and input channels a multiple of 4 on our SIMD
// convolution kernel (simd-conv.ts), otherwise on the XNNPACK Conv2D.
//
// For a forward NHWC convolution with stride s, padding (pt, pl) and dilation 1,
//   dx[n,r,c,ci] = sum over (i, ky) with i*sh + ky - pt = r, (j, kx) likewise, and co of
//                  dy[n,i,j,co] * w[ky,kx,ci,co].
// Insert sh-1 zero rows after every row of dy (sw-1 zero columns likewise) to get dy' with
// Hd = Ho*sh rows, where dy'[n, i*sh, j*sw, co] = dy[n,i,j,co]. Then with ky' = kh-1-ky,
//   dx[n,r,c,ci] = sum_{ky',kx',co} dy'[n, r + ky' - (kh-1-pt), c + kx' - (kw-1-pl), co] * w'[ky',kx',co,ci],
//   w'[ky',kx',co,ci] = w[kh-1-ky', kw-1-kx', ci, co]   (the filter rotated 180 degrees, in/out swapped),
// a stride-1 convolution of dy' with w', padding top kh-1-pt, left kw-1-pl, and bottom/right so
// that the output has H x W pixels: pb = H - Hd - (kh-1-pt) + kh - 1 (negative: crop).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, free, reshape, transpose, type Info } from './call.ts';
import { convGeometry, convPadded } from './conv-geometry.ts';
import { heapF32 } from './call.ts';
import { simdConv, simdConvApplies } from './simd-conv.ts';

export function conv2DBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  const inputShape = attrs.inputShape as number[];
  const g = convGeometry(inputShape, filter.shape, attrs.strides as [number, number], attrs.pad, attrs.dataFormat, attrs.dimRoundingMode);
  if (dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`Conv2DBackpropInput: dy shape [${dy.shape}] does not match the convolution output [${g.batch},${g.outH},${g.outW},${g.outC}]`);
  }
  if (g.sh === 1 && g.sw === 1 && simdConvApplies(g.inC) && filter.dtype === 'float32') {
    // Our SIMD convolution (simd-conv.ts) with the rotated, channel-swapped filter, built in JS.
    const { kh, kw, inC: ci, outC: co } = g;
    const wr = backend.makeOutput([kh, kw, co, ci], 'float32');
    const src = heapF32(backend, filter);
    const dst = heapF32(backend, wr);
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++) {
        const s0 = ((kh - 1 - ky) * kw + (kw - 1 - kx)) * ci * co;
        const d0 = (ky * kw + kx) * co * ci;
        for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) dst[d0 + o * ci + c] = src[s0 + c * co + o];
      }
    const pt = kh - 1 - g.padTop;
    const pl = kw - 1 - g.padLeft;
    const out = simdConv(backend, dy, wr, null, [pt, g.inH - g.outH - pt + kh - 1, pl, g.inW - g.outW - pl + kw - 1], false);
    free(backend, wr);
    return out;
  }
  const flipped = callKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const wr = transpose(backend, flipped, [0, 1, 3, 2]);
  free(backend, flipped);

  let dyd = dy;
  if (g.sh > 1 || g.sw > 1) {
    const [n, ho, wo, c] = dy.shape;
    const r6 = reshape(backend, dy, [n, ho, 1, wo, 1, c]);
    const p6 = callKernel(backend, 'PadV2', { x: r6 }, {
      paddings: [[0, 0], [0, 0], [0, g.sh - 1], [0, 0], [0, g.sw - 1], [0, 0]],
      constantValue: 0,
    });
    free(backend, r6);
    dyd = reshape(backend, p6, [n, ho * g.sh, wo * g.sw, c]);
    free(backend, p6);
  }
  const hd = dyd.shape[1];
  const wd = dyd.shape[2];
  const pt = g.kh - 1 - g.padTop;
  const pl = g.kw - 1 - g.padLeft;
  const pb = g.inH - hd - pt + g.kh - 1;
  const pr = g.inW - wd - pl + g.kw - 1;
  const out = convPadded(backend, dyd, wr, [pt, pb, pl, pr], [1, 1]);
  free(backend, wr);
  if (dyd !== dy) free(backend, dyd);
  return out;
}
