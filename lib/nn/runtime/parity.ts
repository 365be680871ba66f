// Agreement of a backend with wasm: each case computes, from the same seeded inputs, a forward
// output and its gradients, once on wasm with the project's training kernels (wasm-kernels.ts)
// and once on the backend under test; the difference is max |a - b| / max |b| per output, the
// largest over the case's outputs. The cases here exercise every kernel that wasm-kernels.ts
// registers except the fused softmax cross-entropy, whose case lives with its op (lib/train).
// Results are read with `await data()`, which every backend supports (webgpu only that).
import * as tf from '@tensorflow/tfjs';
import { InitRng } from '../init.ts';
import { convBiasAct, BIAS_GRAD, RELU_BIAS_GRAD } from '../ops/conv-bias-act.ts';
import { PHASE_SPLIT, UP_ADD_RELU, upConcatConvRelu } from '../ops/up-conv.ts';
import { initBackend, type BackendChoice } from './backend.ts';

export interface ParityCase {
  name: string;
  /** The wasm kernels it exercises (names as registered). */
  kernels: string[];
  /** Input shapes; values are seeded normals (or what `fill` returns). */
  inputs: Record<string, number[]>;
  fill?: (name: string, size: number, rng: InitRng) => Float32Array;
  /** The forward output(s) and gradients to compare. */
  run: (t: Record<string, tf.Tensor>) => tf.Tensor[];
}

export interface ParityResult {
  name: string;
  kernels: string[];
  /** max |a - b| / max |b| over the outputs (wasm is b). */
  maxRelDiff: number;
  ok: boolean;
}

/** Float32 agreement expected of two backends that sum in different orders. */
export const PARITY_TOLERANCE = 1e-4;

/** max |a - b| / max(max |b|, tiny). */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return Number.isNaN(d) ? Infinity : d / Math.max(m, 1e-30);
}

function inputsOf(c: ParityCase): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, shape] of Object.entries(c.inputs)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const rng = new InitRng(`parity/${c.name}/${name}`);
    out[name] = { shape, data: c.fill?.(name, size, rng) ?? Float32Array.from({ length: size }, () => rng.normal()) };
  }
  return out;
}

async function evaluate(c: ParityCase): Promise<Float32Array[]> {
  const t: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(inputsOf(c))) t[name] = tf.tensor(v.data, v.shape);
  const outs = c.run(t);
  const data = await Promise.all(outs.map(async (o) => new Float32Array(await o.data())));
  tf.dispose([...outs, ...Object.values(t)]);
  return data;
}

/** Runs the cases on wasm (our kernels) and on `backend`; leaves `backend` running. */
export async function kernelParity(backend: BackendChoice, cases: readonly ParityCase[] = KERNEL_CASES): Promise<ParityResult[]> {
  await initBackend({ backend: 'wasm', log: false });
  const reference: Float32Array[][] = [];
  for (const c of cases) reference.push(await evaluate(c));
  await initBackend({ backend, log: false });
  const out: ParityResult[] = [];
  for (const [i, c] of cases.entries()) {
    const got = await evaluate(c);
    const maxRelDiff = Math.max(...got.map((g, j) => relMaxDiff(g, reference[i][j])));
    out.push({ name: c.name, kernels: c.kernels, maxRelDiff, ok: maxRelDiff <= PARITY_TOLERANCE });
  }
  return out;
}

/** Forward output and the gradients of sum(output * w) with respect to `wrt`, for a random w. */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, wrt: tf.Tensor[], w: tf.Tensor): tf.Tensor[] {
  const y = f(...wrt);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)))(wrt);
  return [y, ...grads];
}

const img = [2, 12, 10, 5];

/** Every kernel of wasm-kernels.ts but the softmax cross-entropy, forward and gradient. */
export const KERNEL_CASES: readonly ParityCase[] = [
  {
    name: 'conv2d 3x3 same, stride 1',
    kernels: ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'],
    inputs: { x: img, k: [3, 3, 5, 7], w: [2, 12, 10, 7] },
    run: ({ x, k, w }) => withGrads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), [x, k], w),
  },
  {
    name: 'conv2d 3x3 valid, stride 2',
    kernels: ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'],
    inputs: { x: img, k: [3, 3, 5, 4], w: [2, 5, 4, 4] },
    run: ({ x, k, w }) => withGrads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid'), [x, k], w),
  },
  {
    name: 'fused conv2d + bias + relu',
    kernels: ['FusedConv2D'],
    inputs: { x: img, k: [3, 3, 5, 6], b: [6] },
    run: ({ x, k, b }) => [tf.fused.conv2d({ x: x as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' })],
  },
  {
    name: 'convBiasAct relu (two inputs)',
    kernels: [RELU_BIAS_GRAD, 'Identity'],
    inputs: { x1: img, x2: [2, 12, 10, 3], k1: [3, 3, 5, 6], k2: [3, 3, 3, 6], b: [6], w: [2, 12, 10, 6] },
    run: ({ x1, x2, k1, k2, b, w }) =>
      withGrads(
        (a1, a2, f1, f2, bb) => convBiasAct({ xs: [a1, a2] as tf.Tensor4D[], filters: [f1, f2] as tf.Tensor4D[], bias: bb as tf.Tensor1D, activation: 'relu' }),
        [x1, x2, k1, k2, b],
        w,
      ),
  },
  {
    name: 'convBiasAct linear',
    kernels: [BIAS_GRAD],
    inputs: { x: img, k: [3, 3, 5, 4], b: [4], w: [2, 12, 10, 4] },
    run: ({ x, k, b, w }) => withGrads((a, f, bb) => convBiasAct({ xs: [a as tf.Tensor4D], filters: [f as tf.Tensor4D], bias: bb as tf.Tensor1D, activation: 'linear' }), [x, k, b], w),
  },
  {
    name: 'upConcatConvRelu',
    kernels: [UP_ADD_RELU, PHASE_SPLIT],
    inputs: { low: [2, 6, 5, 4], skip: [2, 12, 10, 3], k: [3, 3, 7, 5], b: [5], w: [2, 12, 10, 5] },
    run: ({ low, skip, k, b, w }) => withGrads((l, s, f, bb) => upConcatConvRelu(l as tf.Tensor4D, s as tf.Tensor4D, f as tf.Tensor4D, bb as tf.Tensor1D), [low, skip, k, b], w),
  },
  {
    name: 'maxPool 2x2 stride 2',
    kernels: ['MaxPoolGrad'],
    inputs: { x: img, w: [2, 6, 5, 5] },
    run: ({ x, w }) => withGrads((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), [x], w),
  },
  {
    name: 'depthwise conv 5x5 same (12 channels)',
    kernels: ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'],
    inputs: { x: [2, 12, 10, 12], k: [5, 5, 12, 1], w: [2, 12, 10, 12] },
    run: ({ x, k, w }) => withGrads((a, f) => tf.depthwiseConv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'), [x, k], w),
  },
  {
    name: 'depthwise conv 3x3 stride 2 valid, multiplier 2',
    kernels: ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'],
    inputs: { x: img, k: [3, 3, 5, 2], w: [2, 5, 4, 10] },
    run: ({ x, k, w }) => withGrads((a, f) => tf.depthwiseConv2d(a as tf.Tensor4D, f as tf.Tensor4D, 2, 'valid'), [x, k], w),
  },
  {
    name: 'resizeNearestNeighbor x2',
    kernels: ['ResizeNearestNeighborGrad'],
    inputs: { x: [2, 6, 5, 3], w: [2, 12, 10, 3] },
    run: ({ x, w }) => withGrads((a) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [12, 10]), [x], w),
  },
];
