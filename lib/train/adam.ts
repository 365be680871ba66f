// Adam (Kingma & Ba 2015) on flat float32 weight/gradient arrays, as torch.optim.Adam computes it
// (and tf.train.adam, up to the default epsilon): with bias corrections c1 = 1 - beta1^t and
// c2 = 1 - beta2^t,
//   m <- beta1 m + (1 - beta1) g;   v <- beta2 v + (1 - beta2) g^2
//   w <- w - lr * (m / c1) / (sqrt(v / c2) + eps)
// and optional L2 weight decay added to the gradient first (torch's `weight_decay`, not AdamW).
// One fused loop over all parameters: no per-variable kernels, no temporaries.

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  beta1?: number;
  beta2?: number;
  /** Default 1e-8 (torch); tf.train.adam's default is 1e-7. */
  epsilon?: number;
  /** L2 penalty coefficient (default 0). */
  weightDecay?: number;
}

export interface AdamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private t = 0;
  private readonly m: Float32Array;
  private readonly v: Float32Array;

  constructor(size: number, opts: AdamOptions = {}) {
    this.lr = opts.lr ?? 1e-3;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    for (const [k, v] of Object.entries({ lr: this.lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay })) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`Adam ${k} must be a finite number >= 0, got ${v}`);
    }
    if (this.beta1 >= 1 || this.beta2 >= 1) throw new RangeError('Adam betas must be < 1');
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  get step(): number {
    return this.t;
  }

  /** Updates `w` in place with gradient `g * gradScale`. */
  update(w: Float32Array, g: Float32Array, gradScale = 1): void {
    const n = this.m.length;
    if (w.length !== n || g.length !== n) throw new Error(`Adam: ${n} parameters, got weights ${w.length}, gradients ${g.length}`);
    this.t++;
    const { beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const stepSize = this.lr / c1;
    const invSqrtC2 = 1 / Math.sqrt(c2);
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < n; i++) {
      let gi = g[i] * gradScale;
      if (wd !== 0) gi += wd * w[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtC2 + eps);
    }
  }

  getState(): AdamState {
    return { step: this.t, m: this.m.slice(), v: this.v.slice() };
  }

  setState(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error('Adam state has the wrong size');
    this.t = s.step;
    this.m.set(s.m);
    this.v.set(s.v);
  }
}
