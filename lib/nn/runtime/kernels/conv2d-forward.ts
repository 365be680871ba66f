// Conv2D and FusedConv2D for the wasm backend: stride 1, dilation 1, NHWC, output channels a
// multiple of 4, no activation or ReLU, bias of one value per output channel run on our SIMD
// kernel (simd-conv.ts); everything else goes to the stock XNNPACK kernels.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernels, type Info } from './call.ts';
import { simdConv, simdConvApplies } from './simd-conv.ts';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

const ones = (v: unknown) => v === undefined || v === null || v === 1 || (Array.isArray(v) && v.every((d) => d === 1));

/** Explicit (top, bottom, left, right) padding of a stride-1 convolution, or null if not ours. */
function simdPads(x: Info, filter: Info, attrs: Record<string, unknown>): [number, number, number, number] | null {
  const { strides, dilations, pad, dataFormat, dimRoundingMode } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') return null;
  if (!ones(strides) || !ones(dilations)) return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || !simdConvApplies(filter.shape[3])) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    1,
    1,
    pad as 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
    dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const p = info.padInfo;
  return [p.top, p.bottom, p.left, p.right];
}

function stock(name: string, args: Args): Info {
  const cfg = stockKernels.get(name);
  if (!cfg) throw new Error(`the stock wasm ${name} kernel is missing`);
  return cfg.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as Info;
}

export function conv2d(args: Args): Info {
  const { x, filter } = args.inputs as { x: Info; filter: Info };
  const pads = simdPads(x, filter, (args.attrs ?? {}) as Record<string, unknown>);
  if (!pads) return stock('Conv2D', args);
  return simdConv(args.backend as BackendWasm, x, filter, null, pads, false);
}

export function fusedConv2d(args: Args): Info {
  const { x, filter, bias, preluActivationWeights } = args.inputs as { x: Info; filter: Info; bias?: Info; preluActivationWeights?: Info };
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  const activation = attrs.activation ?? 'linear';
  const co = filter.shape[3];
  const biasOk = !bias || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === co);
  if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu') || !biasOk) return stock('FusedConv2D', args);
  const pads = simdPads(x, filter, attrs);
  if (!pads) return stock('FusedConv2D', args);
  return simdConv(args.backend as BackendWasm, x, filter, bias ?? null, pads, activation === 'relu');
}
