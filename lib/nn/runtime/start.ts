// Starting the wasm backend in Node, and looking at the running backend without starting one, for
// every stage that runs tfjs models (the face detector in lib/regions, the realistic generators
// in lib/anonymize, training through backend.ts). The wasm backend's binaries are
// found next to @tensorflow/tfjs-backend-wasm (plain tfjs in Node has no file:// loader); tfjs
// state is global, so a running backend is looked at without starting one.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Backends that run convolutional models well; the pure-JS cpu backend is about ten times slower. */
export const FAST_BACKENDS: readonly string[] = ['wasm', 'tensorflow', 'webgl', 'webgpu'];

/** The tfjs backend now running, or null when none has been started (tf.getBackend() would start one). */
export function runningBackend(): string | null {
  return (tf.engine() as unknown as { backendName?: string | null }).backendName ?? null;
}

/** The folder holding the wasm binaries of @tensorflow/tfjs-backend-wasm, with a trailing slash. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

let wasmPathsSet = false;

/** Makes wasm the running backend; the reason when it cannot, else null. */
export async function startWasm(): Promise<string | null> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) {
      wasm.setWasmPaths(wasmBinaryDir());
      wasmPathsSet = true;
    }
    return (await tf.setBackend('wasm')) ? null : 'tf.setBackend("wasm") failed';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The backends a model loader may be told to use: the fast default, or cpu on purpose. */
export type ModelBackend = 'cpu' | 'wasm';

/**
 * The backend a pretrained model runs on (the face detector, the privacy models): a running fast
 * backend is kept, anything else is switched to wasm; `'cpu'` forces cpu. If wasm cannot start,
 * this fails naming why (and `model`), rather than running ten times slower on cpu unnoticed.
 * Returns the backend's name.
 */
export async function modelBackend(model: string, forced?: ModelBackend): Promise<string> {
  if (forced === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialise');
  } else {
    const running = runningBackend();
    if (forced === 'wasm' || running === null || !FAST_BACKENDS.includes(running)) {
      const why = await startWasm();
      if (why !== null) throw new Error(`the tfjs wasm backend failed to initialise (${why}); ${model} on the cpu backend is about ten times slower: pass backend 'cpu' to use it anyway`);
    }
  }
  await tf.ready();
  return tf.getBackend();
}
