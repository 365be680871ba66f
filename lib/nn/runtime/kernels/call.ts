// Calling wasm kernels from inside our own kernels. A kernel function receives TensorInfos and the
// backend; it composes other kernels by calling their registered kernel functions directly (not the
// tf.* ops, which would go through the engine and its gradient tape), and frees its intermediates
// with backend.disposeData.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Info = tf.TensorInfo;
export type Attrs = Record<string, unknown>;

/**
 * The stock kernels of the wasm backend, captured when our kernels are registered, so that a
 * kernel we replace can still be reached (and restored) under its own name.
 */
export const stockKernels = new Map<string, tf.KernelConfig>();

/** Runs the wasm kernel `name` (the stock one if we replaced it) on TensorInfos. */
export function callKernel(backend: BackendWasm, name: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
  const cfg = stockKernels.get(name) ?? tf.getKernel(name, 'wasm');
  if (!cfg) throw new Error(`wasm kernel ${name} is not registered`);
  const out = cfg.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several outputs`);
  return out;
}

/** Frees intermediates produced inside a kernel. */
export function free(backend: BackendWasm, ...infos: Info[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** A Float32Array view of a float32 tensor's data on the wasm heap. Re-take it after any allocation:
 * growing the heap detaches earlier views. */
export function heapF32(backend: BackendWasm, t: Info): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Byte offset of a tensor's data on the wasm heap (for kernels we emit, which take pointers). */
export function heapOffset(backend: BackendWasm, t: Info): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

export function reshape(backend: BackendWasm, x: Info, shape: number[]): Info {
  return callKernel(backend, 'Reshape', { x }, { shape });
}

export function transpose(backend: BackendWasm, x: Info, perm: number[]): Info {
  return callKernel(backend, 'Transpose', { x }, { perm });
}

export function slice(backend: BackendWasm, x: Info, begin: number[], size: number[]): Info {
  return callKernel(backend, 'Slice', { x }, { begin, size });
}
