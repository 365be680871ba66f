// The fused AdamW update (lib/nn/ops/adamw-update.ts) for the wasm backend: one pass over the
// parameter, its gradient and its two moments on the wasm heap, instead of about a dozen kernels
// (each with its own output buffer) per parameter. Every operation is an IEEE float32 one in the
// op-by-op path's order, so the result has the same bits as the stock kernels': four values at a
// time on the SIMD kernel of simd-adamw.ts, the last n % 4 here in JavaScript (Math.fround: a
// float64 sum, product, quotient or square root of float32 values rounded once to float32 is the
// correctly rounded float32 result).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { AdamWUpdateAttrs } from '../../ops/adamw-update.ts';
import { free, heapF32, heapOffset, type Info } from './call.ts';
import { ADAMW_CONSTANTS, simdAdamW } from './simd-adamw.ts';

export function adamwUpdate(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info[] {
  const backend = args.backend as BackendWasm;
  const { param, grad, m, v } = args.inputs as { param: Info; grad: Info; m: Info; v: Info };
  const a = args.attrs as unknown as AdamWUpdateAttrs;
  const f = Math.fround;
  const [scale, b1, ob1, b2, ob2, c1, c2, eps, wd, lr] = [a.scale, a.b1, a.oneMinusB1, a.b2, a.oneMinusB2, a.c1, a.c2, a.eps, a.wd, a.lr].map(f);
  const pOut = backend.makeOutput(param.shape, 'float32');
  const mOut = backend.makeOutput(param.shape, 'float32');
  const vOut = backend.makeOutput(param.shape, 'float32');
  const consts = backend.makeOutput([ADAMW_CONSTANTS.length], 'float32');
  heapF32(backend, consts).set(ADAMW_CONSTANTS.map((k) => a[k]));
  const n = param.shape.reduce((x, y) => x * y, 1);
  for (const t of [grad, m, v]) if (t.shape.reduce((x, y) => x * y, 1) !== n) throw new Error(`AdamW update: param [${param.shape}], grad [${grad.shape}], m [${m.shape}], v [${v.shape}]`);
  const n4 = n - (n % 4);
  const ptr = [param, grad, m, v, pOut, mOut, vOut].map((t) => heapOffset(backend, t));
  simdAdamW(backend)[wd > 0 ? 'decay' : 'plain'](...ptr, heapOffset(backend, consts), 4 * n4);
  free(backend, consts);
  // views taken after the allocations (an allocation can grow the heap and detach older views)
  const [P, G, M, V, P2, M2, V2] = [param, grad, m, v, pOut, mOut, vOut].map((t) => heapF32(backend, t));
  for (let i = n4; i < n; i++) {
    const g = f(G[i] * scale);
    const mi = f(f(M[i] * b1) + f(g * ob1));
    const vi = f(f(V[i] * b2) + f(f(g * g) * ob2));
    M2[i] = mi;
    V2[i] = vi;
    let u = f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps));
    if (wd > 0) u = f(u + f(P[i] * wd));
    P2[i] = f(P[i] - f(u * lr));
  }
  return [pOut, mOut, vOut];
}
