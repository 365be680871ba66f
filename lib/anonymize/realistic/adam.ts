// Adam (Kingma & Ba 2015) on a list of tf.Variables, with its state (moments and step count)
// exportable for checkpoints. Same update as torch.optim.Adam without weight decay:
//   m <- b1 m + (1 - b1) g ;  v <- b2 v + (1 - b2) g^2
//   p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// torch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8) are what DP2's HM-LO uses.
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const TORCH_ADAM: AdamOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export interface AdamState {
  t: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    readonly vars: readonly tf.Variable[],
    readonly opts: AdamOptions = TORCH_ADAM,
  ) {
    this.m = vars.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = vars.map((p) => tf.variable(tf.zerosLike(p), false));
  }

  /** One update with the gradients (in `vars` order). */
  step(grads: readonly tf.Tensor[]): void {
    if (grads.length !== this.vars.length) throw new Error(`Adam: ${grads.length} gradients for ${this.vars.length} variables`);
    this.t++;
    const { lr, beta1: b1, beta2: b2, eps } = this.opts;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    tf.tidy(() => {
      this.vars.forEach((p, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        const upd = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        p.assign(tf.sub(p, tf.mul(upd, lr)));
      });
    });
  }

  /** Moments as arrays, read asynchronously (webgpu in Node has no synchronous read). */
  async state(): Promise<AdamState> {
    const read = (xs: readonly tf.Variable[]) => Promise.all(xs.map(async (x) => new Float32Array(await x.data())));
    return { t: this.t, m: await read(this.m), v: await read(this.v) };
  }

  setState(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error(`Adam state has ${s.m.length} moments for ${this.m.length} variables`);
    this.t = s.t;
    tf.tidy(() => {
      this.m.forEach((x, i) => x.assign(tf.tensor(s.m[i]!, x.shape)));
      this.v.forEach((x, i) => x.assign(tf.tensor(s.v[i]!, x.shape)));
    });
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
