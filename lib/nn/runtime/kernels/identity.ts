// Identity (what tf.clone runs) for the wasm backend without copying: the output shares the
// input's buffer and its reference count, as the tfjs cpu backend and the wasm Reshape do. Tensor
// data is never written in place, so sharing is safe. The engine clones every tensor a custom
// gradient saves for the backward pass; the stock wasm Identity copies each of them.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernels, type Info } from './call.ts';

export function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: Info };
  if (x.dtype === 'string') {
    const stock = stockKernels.get('Identity');
    if (!stock) throw new Error('Identity: the stock wasm kernel is missing');
    return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as Info;
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}
