// WebAssembly SIMD pass of the softmax cross-entropy kernel (softmax-cross-entropy.ts) for class
// counts that are multiples of 4. Per pixel, with the logits z (C floats):
//   m = max_c z_c;  e_c = exp(z_c - m) (vectorised, Cephes expf: x = n ln2 + r, e^r by a degree-6
//   polynomial, 2^n assembled in the exponent bits; arguments clamped at -87.3 so that 2^n stays
//   normal);  s = sum_c e_c;  g_c = e_c / s, then g_y -= 1 for the label y, or g = 0 when the
//   pixel is unlabelled (y < 0).
// m and s are written to an auxiliary [P, 2] array: the caller adds m + log s - z_y to the loss
// (log is not a WebAssembly instruction).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, V128, type Func, type WasmFn } from './wasm-emit.ts';

// Cephes expf constants.
const LOG2E = 1.44269504088896341;
const C1 = 0.693359375;
const C2 = -2.12194440e-4;
const P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

/** Emits exp of the v128 in local `x` (all lanes <= 0) into local `out`; uses locals n, t. */
function emitExp(c: Code, x: number, out: number, n: number, t: number): void {
  c.get(x).vconstF32(-87.3).f32x4Max().set(x);
  c.get(x).vconstF32(LOG2E).f32x4Mul().f32x4Nearest().set(n);
  // r = x - n*C1 - n*C2
  c.get(x).get(n).vconstF32(C1).f32x4Mul().f32x4Sub().get(n).vconstF32(C2).f32x4Mul().f32x4Sub().set(x);
  // t = polynomial(r)
  c.vconstF32(P[0]).set(t);
  for (let i = 1; i < P.length; i++) c.get(t).get(x).f32x4Mul().vconstF32(P[i]).f32x4Add().set(t);
  // y = t * r^2 + r + 1
  c.get(t).get(x).get(x).f32x4Mul().f32x4Mul().get(x).f32x4Add().vconstF32(1).f32x4Add().set(t);
  // 2^n: ((int)n + 127) << 23
  c.get(n).i32x4TruncSatF32x4S().vconstI32(127).i32x4Add().i32(23).i32x4Shl();
  c.get(t).f32x4Mul().set(out);
}

/** ce(z, g, idx, aux, pixels): C4 = classes / 4. */
function ceKernel(c4: number): Func {
  const [Z, G, IDX, AUX, PIX] = [0, 1, 2, 3, 4];
  const [V, Y] = [5, 6]; // i32
  const [M, S, X, E, N, T, INV] = [7, 8, 9, 10, 11, 12, 13]; // v128
  const SF = 14; // f32
  const cb = c4 * 16;
  const c = new Code();
  c.block().loop();
  c.get(PIX).eqz().brIf(1);
  c.get(IDX).i32Load().set(Y);
  c.get(Y).i32(0).i32LtS().if_();
  for (let v = 0; v < c4; v++) c.get(G).vzero().vstore(v * 16);
  c.get(AUX).f32Const(0).f32Store(0);
  c.get(AUX).f32Const(1).f32Store(4);
  c.else_();
  // m
  c.get(Z).vload(0).set(M);
  for (let v = 1; v < c4; v++) c.get(M).get(Z).vload(v * 16).f32x4Max().set(M);
  c.get(M).f32x4ExtractLane(0).get(M).f32x4ExtractLane(1).f32Max().get(M).f32x4ExtractLane(2).f32Max().get(M).f32x4ExtractLane(3).f32Max();
  c.set(SF);
  c.get(AUX).get(SF).f32Store(0);
  c.get(SF).f32x4Splat().set(M);
  // e, s
  c.vzero().set(S);
  for (let v = 0; v < c4; v++) {
    c.get(Z).vload(v * 16).get(M).f32x4Sub().set(X);
    emitExp(c, X, E, N, T);
    c.get(G).get(E).vstore(v * 16);
    c.get(S).get(E).f32x4Add().set(S);
  }
  c.get(S).f32x4ExtractLane(0).get(S).f32x4ExtractLane(1).f32Add().get(S).f32x4ExtractLane(2).f32Add().get(S).f32x4ExtractLane(3).f32Add();
  c.set(SF);
  c.get(AUX).get(SF).f32Store(4);
  c.f32Const(1).get(SF).f32Div().f32x4Splat().set(INV);
  for (let v = 0; v < c4; v++) c.get(G).get(G).vload(v * 16).get(INV).f32x4Mul().vstore(v * 16);
  // g[y] -= 1
  c.get(G).get(Y).i32(4).mul().add().set(V);
  c.get(V).get(V).f32Load().f32Const(1).f32Sub().f32Store();
  c.end();
  c.get(Z).i32(cb).add().set(Z);
  c.get(G).i32(cb).add().set(G);
  c.get(IDX).i32(4).add().set(IDX);
  c.get(AUX).i32(8).add().set(AUX);
  c.get(PIX).i32(1).sub().set(PIX);
  c.br(0).end().end();
  return { name: 'ce', params: [I32, I32, I32, I32, I32], locals: [[2, I32], [7, V128], [1, 0x7d]], code: c };
}

export function simdSoftmaxCe(backend: BackendWasm, classes: number): WasmFn {
  return kernelsOnHeap(backend, `softmax-ce-${classes}`, () => [ceKernel(classes / 4)]).ce;
}
