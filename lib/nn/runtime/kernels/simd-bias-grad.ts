// WebAssembly SIMD versions of the bias/ReLU gradient kernels (bias-grad.ts), four channels per
// instruction: for every pixel and channel vector, g = dy & (y > 0) (a lane mask), stored, and
// added into per-channel float32 accumulators that stay in the L1 cache. Channels must be a
// multiple of 4 (otherwise the JavaScript kernels run).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, V128, type Func, type WasmFn } from './wasm-emit.ts';

/** reluBias(dy, y, g, acc, pixels, pixelBytes): g = dy*(y>0), acc[c] += g over pixels; bias(...)
 * only accumulates dy. Pointers and pixelBytes (4 * channels) in bytes. */
function reluBias(relu: boolean): Func {
  const [DY, Y, G, ACC, PIX, NV] = [0, 1, 2, 3, 4, 5];
  const [V, A, D] = [6, 7, 8]; // i32 v (byte offset within a pixel), i32 acc pointer; v128 d
  const c = new Code();
  c.block().loop();
  c.get(PIX).eqz().brIf(1);
  c.i32(0).set(V);
  c.loop();
  c.get(DY).get(V).add().vload().set(D);
  if (relu) {
    c.get(D).get(Y).get(V).add().vload().vzero().f32x4Gt().v128And().set(D);
    c.get(G).get(V).add().get(D).vstore();
  }
  c.get(ACC).get(V).add().set(A);
  c.get(A).get(A).vload().get(D).f32x4Add().vstore();
  c.get(V).i32(16).add().set(V);
  c.get(V).get(NV).ltU().brIf(0);
  c.end();
  c.get(DY).get(NV).add().set(DY);
  c.get(Y).get(NV).add().set(Y);
  c.get(G).get(NV).add().set(G);
  c.get(PIX).i32(1).sub().set(PIX);
  c.br(0).end().end();
  return { name: relu ? 'reluBias' : 'bias', params: [I32, I32, I32, I32, I32, I32], locals: [[2, I32], [1, V128]], code: c };
}

export function simdBiasKernels(backend: BackendWasm): Record<string, WasmFn> {
  return kernelsOnHeap(backend, 'bias-grad', () => [reluBias(true), reluBias(false)]);
}
