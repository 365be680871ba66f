// Adam with decoupled weight decay (AdamW, Loshchilov & Hutter 2019) on explicit parameters, with
// optional clipping of the gradients' global L2 norm, written out op by op so that its whole
// state (moments and step count) can be checkpointed and restored exactly:
//   g <- g * min(1, clip / ||g||)
//   m <- b1 m + (1 - b1) g ;  v <- b2 v + (1 - b2) g^2
//   p <- p - lr * ( (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + wd * p )
// Weight decay applies to kernels only (names ending in `.kernel`), not to biases. Where the
// backend registers the fused update kernel (lib/nn/ops/adamw-update.ts; wasm does), each
// parameter's update is that one kernel, with the same bits as the ops.
// The learning rate follows a linear warm-up then a cosine decay to `minLrRatio` * lr.
import * as tf from '@tensorflow/tfjs';
import { ADAMW_UPDATE, type AdamWUpdateAttrs } from '../nn/ops/adamw-update.ts';
import type { Param } from '../nn/param.ts';

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Global gradient-norm clip; 0 disables. */
  clipNorm: number;
}

export const DEFAULT_ADAM: AdamConfig = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-4, clipNorm: 10 };

export interface Schedule {
  steps: number;
  warmupSteps: number;
  minLrRatio: number;
}

/** Learning rate at 0-based step `step`. */
export function learningRate(base: number, s: Schedule, step: number): number {
  if (s.warmupSteps > 0 && step < s.warmupSteps) return (base * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.steps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  return base * (s.minLrRatio + (1 - s.minLrRatio) * 0.5 * (1 + Math.cos(Math.PI * t)));
}

export class AdamW {
  /** Number of updates applied. */
  t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    readonly params: readonly Param[],
    readonly cfg: AdamConfig,
  ) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
  }

  /** Applies one update with learning rate `lr`; returns the gradients' global norm before clipping.
   * Asynchronous: the norm is read with `await data()`, which every backend supports (webgpu in
   * Node reads asynchronously only). */
  async apply(grads: readonly tf.Tensor[], lr: number): Promise<number> {
    if (grads.length !== this.params.length) throw new Error(`AdamW: ${grads.length} gradients for ${this.params.length} parameters`);
    this.t++;
    const { beta1: b1, beta2: b2, eps, weightDecay, clipNorm } = this.cfg;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const sq = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const norm = Math.sqrt((await sq.data())[0]);
    sq.dispose();
    const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    if (tf.getKernel(ADAMW_UPDATE, tf.getBackend()) !== undefined) {
      // one fused kernel per parameter, the same bits as the ops below
      const common = { scale, b1, oneMinusB1: 1 - b1, b2, oneMinusB2: 1 - b2, c1, c2, eps, lr };
      this.params.forEach((p, i) => {
        const attrs: AdamWUpdateAttrs = { ...common, wd: weightDecay > 0 && p.name.endsWith('.kernel') ? weightDecay : 0 };
        const [np, nm, nv] = tf.engine().runKernel(ADAMW_UPDATE, { param: p.variable, grad: grads[i], m: this.m[i], v: this.v[i] }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
        p.variable.assign(np);
        this.m[i].assign(nm);
        this.v[i].assign(nv);
        tf.dispose([np, nm, nv]);
      });
      return norm;
    }
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = scale === 1 ? grads[i] : tf.mul(grads[i], scale);
        const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.square(g), 1 - b2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        let upd = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        if (weightDecay > 0 && p.name.endsWith('.kernel')) upd = tf.add(upd, tf.mul(p.variable, weightDecay));
        p.variable.assign(tf.sub(p.variable, tf.mul(upd, lr)));
      });
    });
    return norm;
  }

  /** Moments as arrays, in parameter order. */
  async state(): Promise<{ t: number; m: Float32Array[]; v: Float32Array[] }> {
    const read = (xs: tf.Variable[]) => Promise.all(xs.map(async (x) => new Float32Array(await x.data())));
    return { t: this.t, m: await read(this.m), v: await read(this.v) };
  }

  setState(s: { t: number; m: readonly Float32Array[]; v: readonly Float32Array[] }): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error(`AdamW state has ${s.m.length} moments for ${this.m.length} parameters`);
    this.t = s.t;
    tf.tidy(() => {
      this.m.forEach((x, i) => x.assign(tf.tensor(s.m[i], x.shape)));
      this.v.forEach((x, i) => x.assign(tf.tensor(s.v[i], x.shape)));
    });
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
