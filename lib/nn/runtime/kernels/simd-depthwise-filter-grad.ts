// The filter gradient of a depthwise convolution with channel multiplier 1 (depthwise-grad.ts) as
// a WebAssembly SIMD kernel we emit: for one tap and one run of output pixels whose input pixels
// lie inside the image (forEachRun), four channels per instruction,
//   dw[tap, c..c+3] += sum_k x[x0 + k*xStep + c..c+3] * dy[y0 + k*yStep + c..c+3],
// one channel vector at a time with its sum in a register along the run, for the first
// channelBytes / 16 groups of four channels (depthwise-grad.ts does the last C % 4 in JavaScript).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, relaxedSimdAvailable, V128, type Func } from './wasm-emit.ts';

/** run(x, dy, acc, count, channelBytes, xStep, yStep), pointers and steps in bytes. */
export type DepthwiseFilterRun = (x: number, dy: number, acc: number, count: number, channelBytes: number, xStep: number, yStep: number) => void;

function runKernel(fma: boolean): Func {
  const [X, DY, ACC, COUNT, NB, XS, YS] = [0, 1, 2, 3, 4, 5, 6];
  const [V, XP, DP, K] = [7, 8, 9, 10]; // i32 locals
  const [S, A, B] = [11, 12, 13]; // v128 locals
  const c = new Code();
  c.i32(0).set(V);
  c.block().loop();
  c.get(V).get(NB).ltU().eqz().brIf(1);
  c.get(ACC).get(V).add().vload().set(S);
  c.get(X).get(V).add().set(XP);
  c.get(DY).get(V).add().set(DP);
  c.get(COUNT).set(K);
  c.block().loop();
  c.get(K).eqz().brIf(1);
  c.get(XP).vload().set(A);
  c.get(DP).vload().set(B);
  c.madd(S, A, B, fma);
  c.get(XP).get(XS).add().set(XP);
  c.get(DP).get(YS).add().set(DP);
  c.get(K).i32(1).sub().set(K);
  c.br(0).end().end();
  c.get(ACC).get(V).add().get(S).vstore();
  c.get(V).i32(16).add().set(V);
  c.br(0).end().end();
  return { name: 'run', params: [I32, I32, I32, I32, I32, I32, I32], locals: [[4, I32], [3, V128]], code: c };
}

export function simdDepthwiseFilterRun(backend: BackendWasm): DepthwiseFilterRun {
  const fma = relaxedSimdAvailable();
  return kernelsOnHeap(backend, `depthwise-filter-grad-${fma}`, () => [runKernel(fma)]).run as DepthwiseFilterRun;
}
