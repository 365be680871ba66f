// The bias and ReLU gradients of a convolution layer in one pass over the wasm heap (instead of
// Step, Cast, Multiply and a Sum over three axes, which the stock Sum does by transposing first).
//   reluBiasGrad {dy, y} -> [g = dy * (y > 0), db = sum of g over all but the last axis]
//   biasGrad {dy} -> db = sum of dy over all but the last axis
// With channels a multiple of 4 a WebAssembly SIMD kernel does it (simd-bias-grad.ts; float32
// sums); otherwise this JavaScript loop (float64 sums, rounded once).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, heapOffset, type Info } from './call.ts';
import { simdBiasKernels } from './simd-bias-grad.ts';


export function reluBiasGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): Info[] {
  const backend = args.backend as BackendWasm;
  const { dy, y } = args.inputs as { dy: Info; y: Info };
  const c = dy.shape[dy.shape.length - 1];
  const g = backend.makeOutput(dy.shape, 'float32');
  const db = backend.makeOutput([c], 'float32');
  if (c % 4 === 0) {
    heapF32(backend, db).fill(0);
    const pixels = dy.shape.reduce((a, b) => a * b, 1) / c;
    simdBiasKernels(backend).reluBias(heapOffset(backend, dy), heapOffset(backend, y), heapOffset(backend, g), heapOffset(backend, db), pixels, c * 4);
    return [g, db];
  }
  const d = heapF32(backend, dy);
  const yv = heapF32(backend, y);
  const gv = heapF32(backend, g);
  const acc = new Float64Array(c);
  const n = d.length;
  for (let i = 0; i < n; i += c) {
    for (let k = 0; k < c; k++) {
      const v = yv[i + k] > 0 ? d[i + k] : 0;
      gv[i + k] = v;
      acc[k] += v;
    }
  }
  heapF32(backend, db).set(acc);
  return [g, db];
}

export function biasGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): Info {
  const backend = args.backend as BackendWasm;
  const { dy } = args.inputs as { dy: Info };
  const c = dy.shape[dy.shape.length - 1];
  const db = backend.makeOutput([c], 'float32');
  if (c % 4 === 0) {
    heapF32(backend, db).fill(0);
    const pixels = dy.shape.reduce((a, b) => a * b, 1) / c;
    simdBiasKernels(backend).bias(heapOffset(backend, dy), 0, 0, heapOffset(backend, db), pixels, c * 4);
    return db;
  }
  const d = heapF32(backend, dy);
  const acc = new Float64Array(c);
  const n = d.length;
  for (let i = 0; i < n; i += c) for (let k = 0; k < c; k++) acc[k] += d[i + k];
  heapF32(backend, db).set(acc);
  return db;
}
