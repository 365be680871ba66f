// The first convolution of a U-Net up level, relu(conv3x3(concat[up2(low), skip]) + b) with
// nearest 2x up-sampling, computed without up-sampling: a 3x3 convolution of a nearest-up-sampled
// image is, on each of the four output phases (row parity a, column parity b), a 2x2 convolution
// of the low-resolution image. Along one axis, output row 2i+a reads up-sampled rows 2i+a-1..2i+a+1,
// i.e. low rows (i-1, i, i) for a = 0 and (i, i, i+1) for a = 1, so the 3 taps collapse to 2:
//   a = 0: taps (i-1, i) with weights (w0, w1 + w2), padding 1 before;
//   a = 1: taps (i, i+1) with weights (w0 + w1, w2), padding 1 after.
// The up part thus costs 4/9 of the multiply-adds of the 3x3 convolution at full resolution, in
// the forward pass and in both gradients; the up-sampled tensor is never built. The phase filters
// are sums of slices of the layer's kernel (small tf ops, differentiated by tfjs), so the layer's
// parameters are those of the textbook arrangement. The skip part is an ordinary 3x3 convolution.
// The four phase results are interleaved, added to the skip part and rectified in one kernel.
import * as tf from '@tensorflow/tfjs';
import { hasKernel, reluBiasGrad } from './conv-bias-act.ts';

/** Kernel {p00, p01, p10, p11, s} -> relu(interleave(p) + s); p_ab [N,h,w,C] fills (2i+a, 2j+b). */
export const UP_ADD_RELU = 'AnonImpactUpAddRelu';
/** Kernel {x} [N,2h,2w,C] -> [x00, x01, x10, x11], x_ab = x[:, a::2, b::2, :]. */
export const PHASE_SPLIT = 'AnonImpactPhaseSplit';

const PHASES = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
] as const;

function attrs(extra: Record<string, unknown>): tf.NamedAttrMap {
  return { strides: [1, 1], dataFormat: 'NHWC', dilations: [1, 1], ...extra } as unknown as tf.NamedAttrMap;
}

/** Explicit padding of phase (a, b). */
function phasePad(a: number, b: number): number[][] {
  return [
    [0, 0],
    [1 - a, a],
    [1 - b, b],
    [0, 0],
  ];
}

/** Collapses 3 taps along `axis` of a [3,3,ci,co] (or [2,3,..]) kernel to the 2 of phase `a`. */
function collapse(w: tf.Tensor4D, axis: 0 | 1, a: number): tf.Tensor4D {
  const size = w.shape.slice() as [number, number, number, number];
  size[axis] = 1;
  const tap = (k: number) => {
    const begin = [0, 0, 0, 0];
    begin[axis] = k;
    return tf.slice(w, begin, size);
  };
  const parts = a === 0 ? [tap(0), tf.add(tap(1), tap(2))] : [tf.add(tap(0), tap(1)), tap(2)];
  return tf.concat(parts, axis) as tf.Tensor4D;
}

/** The four 2x2 phase filters of a 3x3 kernel applied to a nearest 2x up-sampled input. */
export function phaseFilters(w: tf.Tensor4D): tf.Tensor4D[] {
  if (w.shape[0] !== 3 || w.shape[1] !== 3) throw new Error(`phase filters need a 3x3 kernel, got [${w.shape}]`);
  const rows = [collapse(w, 0, 0), collapse(w, 0, 1)];
  return PHASES.map(([a, b]) => collapse(rows[a], 1, b));
}

function upAddRelu(p: tf.Tensor4D[], s: tf.Tensor4D): tf.Tensor4D {
  if (hasKernel(UP_ADD_RELU)) {
    return tf.engine().runKernel(UP_ADD_RELU, { p00: p[0], p01: p[1], p10: p[2], p11: p[3], s }, {}) as tf.Tensor4D;
  }
  const [n, h, w, c] = p[0].shape;
  const row0 = tf.stack([p[0], p[1]], 3);
  const row1 = tf.stack([p[2], p[3]], 3);
  const up = tf.reshape(tf.stack([row0, row1], 2), [n, 2 * h, 2 * w, c]);
  return tf.relu(tf.add(up, s)) as tf.Tensor4D;
}

function phaseSplit(x: tf.Tensor4D): tf.Tensor4D[] {
  if (hasKernel(PHASE_SPLIT)) return tf.engine().runKernel(PHASE_SPLIT, { x }, {}) as unknown as tf.Tensor4D[];
  const [n, h, w, c] = x.shape;
  return PHASES.map(([a, b]) => tf.stridedSlice(x, [0, a, b, 0], [n, h, w, c], [1, 2, 2, 1]) as tf.Tensor4D);
}

/**
 * relu(conv3x3_same(concat([up2(low), skip], channels), kernel) + bias) for skip of exactly twice
 * the size of low; `kernel` is [3, 3, C_low + C_skip, C_out].
 */
export function upConcatConvRelu(low: tf.Tensor4D, skip: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  const [n, h, w, cu] = low.shape;
  if (skip.shape[0] !== n || skip.shape[1] !== 2 * h || skip.shape[2] !== 2 * w) {
    throw new Error(`upConcatConvRelu: skip [${skip.shape}] is not twice the size of [${low.shape}]`);
  }
  const [kh, kw, cin, cout] = kernel.shape;
  if (kh !== 3 || kw !== 3 || cin !== cu + skip.shape[3]) throw new Error(`upConcatConvRelu: kernel [${kernel.shape}] does not fit inputs of ${cu} + ${skip.shape[3]} channels`);
  const wUp = tf.slice(kernel, [0, 0, 0, 0], [3, 3, cu, cout]) as tf.Tensor4D;
  const wSkip = tf.slice(kernel, [0, 0, cu, 0], [3, 3, cin - cu, cout]) as tf.Tensor4D;
  const wp = phaseFilters(wUp);
  const f = tf.customGrad(((...all: unknown[]) => {
    const save = all[all.length - 1] as tf.GradSaveFunc;
    const [x, sk, w00, w01, w10, w11, ws, b] = all.slice(0, -1) as tf.Tensor4D[];
    const filters = [w00, w01, w10, w11];
    const p = PHASES.map(([a, c], i) => tf.engine().runKernel('Conv2D', { x, filter: filters[i] }, attrs({ pad: phasePad(a, c) })) as tf.Tensor4D);
    const s = tf.engine().runKernel('FusedConv2D', { x: sk, filter: ws, bias: b }, attrs({ pad: 'same', activation: 'linear' })) as tf.Tensor4D;
    const y = upAddRelu(p, s);
    save([y, x, sk, ...filters, ws]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ys, xs, sks, f00, f01, f10, f11, fws] = saved as tf.Tensor4D[];
        const fs = [f00, f01, f10, f11];
        const [g, db] = reluBiasGrad(dy as tf.Tensor4D, ys);
        const gp = phaseSplit(g);
        const dxParts = PHASES.map(([a, c], i) =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy: gp[i], filter: fs[i] }, attrs({ pad: phasePad(a, c), inputShape: xs.shape })) as tf.Tensor4D,
        );
        const dx = tf.addN(dxParts);
        const dws = PHASES.map(([a, c], i) =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: gp[i] }, attrs({ pad: phasePad(a, c), filterShape: fs[i].shape })) as tf.Tensor4D,
        );
        const dsk = tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter: fws }, attrs({ pad: 'same', inputShape: sks.shape })) as tf.Tensor4D;
        const dwsk = tf.engine().runKernel('Conv2DBackpropFilter', { x: sks, dy: g }, attrs({ pad: 'same', filterShape: fws.shape })) as tf.Tensor4D;
        return [dx, dsk, ...dws, dwsk, db];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(low, skip, ...wp, wSkip, bias) as tf.Tensor4D;
}
