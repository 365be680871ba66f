// The name and contract of the fused AdamW update kernel that lib/train/optimizer.ts calls where a
// backend registers it (lib/nn/runtime/wasm-kernels.ts does, for wasm).
/**
 * Kernel {param, grad, m, v} (float32, one shape) -> [param', m', v'], with attrs (each a float32
 * constant, as the op-by-op formula's scalars are) scale, b1, oneMinusB1, b2, oneMinusB2, c1, c2,
 * eps, wd (0: no decay) and lr, every operation rounded to float32 in the order of
 * AdamW.apply's op-by-op path:
 *
 *   g  = scale == 1 ? grad : grad * scale
 *   m' = m * b1 + g * oneMinusB1
 *   v' = v * b2 + (g * g) * oneMinusB2
 *   u  = (m' / c1) / (sqrt(v' / c2) + eps)      then, with wd > 0, u = u + param * wd
 *   param' = param - u * lr
 *
 * so that it gives the same bits as those ops on a backend whose arithmetic is IEEE float32.
 */
export const ADAMW_UPDATE = 'AnonImpactAdamWUpdate';

export interface AdamWUpdateAttrs {
  scale: number;
  b1: number;
  oneMinusB1: number;
  b2: number;
  oneMinusB2: number;
  c1: number;
  c2: number;
  eps: number;
  wd: number;
  lr: number;
}
