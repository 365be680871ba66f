// WebAssembly SIMD loops for the phase kernels (phases.ts), four channels per instruction; used
// when the channel count is a multiple of 4.
//   addRelu(p, s, out, count, cBytes, pStride, sStride): count pixels of
//     out = max(p + s, 0), p advancing by pStride bytes, s and out by sStride bytes
//   copy(src, dst, count, cBytes, srcStride, dstStride): count pixels of cBytes bytes
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, type Func, type WasmFn } from './wasm-emit.ts';

function addRelu(): Func {
  const [P, S, OUT, COUNT, CB, PS, SS, V] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c = new Code();
  c.block().loop();
  c.get(COUNT).eqz().brIf(1);
  c.i32(0).set(V);
  c.loop();
  c.get(OUT).get(V).add();
  c.get(P).get(V).add().vload().get(S).get(V).add().vload().f32x4Add().vzero().f32x4Max();
  c.vstore();
  c.get(V).i32(16).add().set(V);
  c.get(V).get(CB).ltU().brIf(0);
  c.end();
  c.get(P).get(PS).add().set(P);
  c.get(S).get(SS).add().set(S);
  c.get(OUT).get(SS).add().set(OUT);
  c.get(COUNT).i32(1).sub().set(COUNT);
  c.br(0).end().end();
  return { name: 'addRelu', params: [I32, I32, I32, I32, I32, I32, I32], locals: [[1, I32]], code: c };
}

function copy(): Func {
  const [SRC, DST, COUNT, CB, SS, DS, V] = [0, 1, 2, 3, 4, 5, 6];
  const c = new Code();
  c.block().loop();
  c.get(COUNT).eqz().brIf(1);
  c.i32(0).set(V);
  c.loop();
  c.get(DST).get(V).add().get(SRC).get(V).add().vload().vstore();
  c.get(V).i32(16).add().set(V);
  c.get(V).get(CB).ltU().brIf(0);
  c.end();
  c.get(SRC).get(SS).add().set(SRC);
  c.get(DST).get(DS).add().set(DST);
  c.get(COUNT).i32(1).sub().set(COUNT);
  c.br(0).end().end();
  return { name: 'copy', params: [I32, I32, I32, I32, I32, I32], locals: [[1, I32]], code: c };
}

export function simdPhaseKernels(backend: BackendWasm): Record<string, WasmFn> {
  return kernelsOnHeap(backend, 'phases', () => [addRelu(), copy()]);
}
