// The summed softmax cross-entropy of lib/train/loss.ts and its gradient in one pass over the
// logits on the wasm heap: per labelled pixel, m = max_c z_c, s = sum_c exp(z_c - m),
// loss += m + log s - z_y, grad_c = exp(z_c - m) / s - [c = y]; unlabelled pixels (index -1)
// add nothing and get a zero gradient. The loss is summed in float64. For class counts that are
// multiples of 4 the per-pixel work is a WebAssembly SIMD kernel (simd-softmax-ce.ts).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, heapF32, heapOffset, type Info } from './call.ts';
import { simdSoftmaxCe } from './simd-softmax-ce.ts';


export function softmaxCrossEntropy(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): Info[] {
  const backend = args.backend as BackendWasm;
  const { logits, index } = args.inputs as { logits: Info; index: Info };
  const [p, c] = logits.shape;
  const loss = backend.makeOutput([], 'float32');
  const grad = backend.makeOutput([p, c], 'float32');
  if (c % 4 === 0) {
    const aux = backend.makeOutput([p, 2], 'float32');
    simdSoftmaxCe(backend, c)(heapOffset(backend, logits), heapOffset(backend, grad), heapOffset(backend, index), heapOffset(backend, aux), p);
    const a = heapF32(backend, aux);
    const zv = heapF32(backend, logits);
    const iv = backend.typedArrayFromHeap(index) as Int32Array;
    let sum = 0;
    for (let i = 0; i < p; i++) {
      const y = iv[i];
      if (y >= 0) sum += a[2 * i] + Math.log(a[2 * i + 1]) - zv[i * c + y];
    }
    free(backend, aux);
    heapF32(backend, loss)[0] = sum;
    return [loss, grad];
  }
  const z = heapF32(backend, logits);
  const g = heapF32(backend, grad);
  const idx = backend.typedArrayFromHeap(index) as Int32Array;
  const e = new Float64Array(c);
  let total = 0;
  for (let i = 0, o = 0; i < p; i++, o += c) {
    const y = idx[i];
    if (y < 0) {
      g.fill(0, o, o + c);
      continue;
    }
    let m = z[o];
    for (let k = 1; k < c; k++) if (z[o + k] > m) m = z[o + k];
    let s = 0;
    for (let k = 0; k < c; k++) {
      const v = Math.exp(z[o + k] - m);
      e[k] = v;
      s += v;
    }
    total += m + Math.log(s) - z[o + y];
    const inv = 1 / s;
    for (let k = 0; k < c; k++) g[o + k] = e[k] * inv;
    g[o + y] -= 1;
  }
  heapF32(backend, loss)[0] = total;
  return [loss, grad];
}
