// The fused AdamW update (adamw-update.ts) as a WebAssembly SIMD kernel we emit: four parameters
// per instruction, with separate IEEE float32 multiplies, adds, divisions and square roots (never a
// fused multiply-add), in the op-by-op formula's order, so each lane gets the same bits as the
// stock kernels. The ten constants are read from a small buffer on the heap and splatted.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, V128, type Func, type WasmFn } from './wasm-emit.ts';

/** The order of the constants in the buffer the kernel reads (float32 each). */
export const ADAMW_CONSTANTS = ['scale', 'b1', 'oneMinusB1', 'b2', 'oneMinusB2', 'c1', 'c2', 'eps', 'wd', 'lr'] as const;

/** update(P, G, M, V, P2, M2, V2, constants, bytes): the first bytes / 4 values (bytes a multiple of 16). */
function update(decay: boolean): Func {
  const [P, G, M, V, P2, M2, V2, K, NB] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const I = 9; // i32 byte offset
  const [SCALE, B1, OB1, B2, OB2, C1, C2, EPS, WD, LR] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const [GV, MV, VV, U] = [20, 21, 22, 23];
  const c = new Code();
  ADAMW_CONSTANTS.forEach((_, k) => c.get(K).vsplat32(4 * k).set(SCALE + k));
  c.i32(0).set(I);
  c.block().loop();
  c.get(I).get(NB).ltU().eqz().brIf(1);
  c.get(G).get(I).add().vload().get(SCALE).f32x4Mul().set(GV); // g * 1 is g exactly
  c.get(M).get(I).add().vload().get(B1).f32x4Mul().get(GV).get(OB1).f32x4Mul().f32x4Add().set(MV);
  c.get(V).get(I).add().vload().get(B2).f32x4Mul().get(GV).get(GV).f32x4Mul().get(OB2).f32x4Mul().f32x4Add().set(VV);
  c.get(M2).get(I).add().get(MV).vstore();
  c.get(V2).get(I).add().get(VV).vstore();
  c.get(MV).get(C1).f32x4Div().get(VV).get(C2).f32x4Div().f32x4Sqrt().get(EPS).f32x4Add().f32x4Div().set(U);
  if (decay) c.get(U).get(P).get(I).add().vload().get(WD).f32x4Mul().f32x4Add().set(U);
  c.get(P2).get(I).add().get(P).get(I).add().vload().get(U).get(LR).f32x4Mul().f32x4Sub().vstore();
  c.get(I).i32(16).add().set(I);
  c.br(0).end().end();
  return { name: decay ? 'decay' : 'plain', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32], locals: [[1, I32], [14, V128]], code: c };
}

export function simdAdamW(backend: BackendWasm): Record<'decay' | 'plain', WasmFn> {
  return kernelsOnHeap(backend, 'adamw', () => [update(true), update(false)]) as Record<'decay' | 'plain', WasmFn>;
}
