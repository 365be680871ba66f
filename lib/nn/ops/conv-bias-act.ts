// A convolution layer as one differentiable op: act(sum_i conv2d(x_i, w_i) + b), stride 1, 'same'
// padding, NHWC. Several inputs with their own filters are the same as one convolution of their
// channel concatenation with the filters stacked along the input-channel axis (conv2d is linear in
// its input channels), without materialising the concatenation or splitting its gradient.
//
// The forward pass is one FusedConv2D kernel (conv + bias + ReLU) per layer; tfjs's own
// tf.fused.conv2d falls back to three kernels whenever gradients are recorded. The gradient is
// written out: g = dy * [y > 0] (ReLU), db = sum of g over N, H, W, dx_i = Conv2DBackpropInput(g, w_i),
// dw_i = Conv2DBackpropFilter(x_i, g). Backends that register the kernels named below (the wasm
// backend, by lib/train) compute g and db in one pass.
import * as tf from '@tensorflow/tfjs';

/** Kernel {dy, y} -> [dy * (y > 0), sum of that over all axes but the last]. */
export const RELU_BIAS_GRAD = 'AnonImpactReluBiasGrad';
/** Kernel {dy} -> sum of dy over all axes but the last. */
export const BIAS_GRAD = 'AnonImpactBiasGrad';

export type Activation = 'relu' | 'linear';

export interface ConvBiasActArgs {
  xs: tf.Tensor4D[];
  filters: tf.Tensor4D[];
  bias: tf.Tensor1D;
  activation: Activation;
  /** Per input: whether its gradient is wanted (false: zeros are returned, nothing is computed). */
  inputGrads?: boolean[];
}

/** Whether the active backend has the kernel `name` registered (our wasm kernels). */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

const convAttrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] };
const attrs = (extra: Record<string, unknown> = {}) => ({ ...convAttrs, ...extra }) as unknown as tf.NamedAttrMap;

/** Gradient through relu(z) given its output y, and the bias gradient (sum over N, H, W). */
export function reluBiasGrad(dy: tf.Tensor4D, y: tf.Tensor4D): [tf.Tensor4D, tf.Tensor1D] {
  if (hasKernel(RELU_BIAS_GRAD)) {
    const [g, db] = tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }, {}) as unknown as [tf.Tensor4D, tf.Tensor1D];
    return [g, db];
  }
  const g = tf.mul(dy, tf.step(y)) as tf.Tensor4D;
  return [g, tf.sum(g, [0, 1, 2]) as tf.Tensor1D];
}

function biasGrad(dy: tf.Tensor4D): tf.Tensor1D {
  if (hasKernel(BIAS_GRAD)) return tf.engine().runKernel(BIAS_GRAD, { dy }, {}) as tf.Tensor1D;
  return tf.sum(dy, [0, 1, 2]) as tf.Tensor1D;
}

export function convBiasAct(args: ConvBiasActArgs): tf.Tensor4D {
  const { xs, filters, bias, activation } = args;
  const k = xs.length;
  if (k === 0 || filters.length !== k) throw new Error(`convBiasAct: ${k} inputs but ${filters.length} filters`);
  const inputGrads = args.inputGrads ?? xs.map(() => true);
  const f = tf.customGrad((...all: unknown[]) => {
    const save = all[all.length - 1] as tf.GradSaveFunc;
    const ins = all.slice(0, -1) as tf.Tensor[];
    const xi = ins.slice(0, k) as tf.Tensor4D[];
    const wi = ins.slice(k, 2 * k) as tf.Tensor4D[];
    const b = ins[2 * k] as tf.Tensor1D;
    let y: tf.Tensor4D;
    if (k === 1) {
      y = tf.engine().runKernel('FusedConv2D', { x: xi[0], filter: wi[0], bias: b }, attrs({ activation })) as tf.Tensor4D;
    } else {
      let s = tf.engine().runKernel('FusedConv2D', { x: xi[0], filter: wi[0], bias: b }, attrs({ activation: 'linear' })) as tf.Tensor4D;
      for (let i = 1; i < k; i++) {
        const t = tf.engine().runKernel('Conv2D', { x: xi[i], filter: wi[i] }, attrs()) as tf.Tensor4D;
        s = tf.add(s, t);
      }
      y = activation === 'relu' ? tf.relu(s) : s;
    }
    save([y, ...xi, ...wi]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const ys = saved[0] as tf.Tensor4D;
        const sx = saved.slice(1, 1 + k) as tf.Tensor4D[];
        const sw = saved.slice(1 + k, 1 + 2 * k) as tf.Tensor4D[];
        let g: tf.Tensor4D;
        let db: tf.Tensor1D;
        if (activation === 'relu') [g, db] = reluBiasGrad(dy as tf.Tensor4D, ys);
        else [g, db] = [dy as tf.Tensor4D, biasGrad(dy as tf.Tensor4D)];
        const dxs = sx.map((x, i) =>
          inputGrads[i]
            ? (tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter: sw[i] }, attrs({ inputShape: x.shape })) as tf.Tensor4D)
            : tf.zerosLike(x),
        );
        const dws = sx.map((x, i) => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, attrs({ filterShape: sw[i].shape })) as tf.Tensor4D);
        return [...dxs, ...dws, db];
      },
    };
  });
  return f(...xs, ...filters, bias) as tf.Tensor4D;
}
