// Shared geometry of the convolution-gradient kernels: the forward convolution's padding as tfjs
// computes it, and a convolution with explicit, possibly negative padding (a negative pad crops the
// input) run on the stock wasm Conv2D (XNNPACK).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, free, slice, type Info } from './call.ts';

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
}

/** The geometry of the forward NHWC convolution whose gradient is wanted (dilation 1), padding as
 * tfjs's backend_util.computeConv2DInfo resolves 'same' / 'valid' / explicit padding. */
export function convGeometry(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: unknown,
  dataFormat: unknown,
  dimRoundingMode: unknown,
): ConvGeometry {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`convolution gradient on wasm: only NHWC is supported, got dataFormat ${String(dataFormat)}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad as 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
    dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * NHWC convolution, stride 1, with the given dilation and explicit padding (top, bottom, left,
 * right); negative padding crops that many rows/columns of the input first.
 */
export function convPadded(
  backend: BackendWasm,
  x: Info,
  filter: Info,
  pads: [number, number, number, number],
  dilations: [number, number],
): Info {
  const [t, b, l, r] = pads;
  let input = x;
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const [n, h, w, c] = x.shape;
    const ct = Math.max(0, -t);
    const cb = Math.max(0, -b);
    const cl = Math.max(0, -l);
    const cr = Math.max(0, -r);
    if (h - ct - cb <= 0 || w - cl - cr <= 0) throw new Error('convolution gradient: padding crops the whole input');
    input = slice(backend, x, [0, ct, cl, 0], [n, h - ct - cb, w - cl - cr, c]);
  }
  const pad = [
    [0, 0],
    [Math.max(0, t), Math.max(0, b)],
    [Math.max(0, l), Math.max(0, r)],
    [0, 0],
  ];
  const out = callKernel(backend, 'Conv2D', { x: input, filter }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: undefined });
  if (input !== x) free(backend, input);
  return out;
}
