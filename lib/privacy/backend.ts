// The tfjs backend the privacy models run on (face recognition, person detection; the face
// detector of lib/regions chooses the same way): a running fast backend (wasm, tensorflow, webgl,
// webgpu) is kept, anything else is switched to wasm. If wasm cannot start, loading fails naming
// why rather than running ten times slower on cpu unnoticed; `'cpu'` forces cpu.
import * as tf from '@tensorflow/tfjs';
import { FAST_BACKENDS, runningBackend, startWasm } from '../nn/runtime/start.ts';

export type ModelBackend = 'cpu' | 'wasm';

/** Starts (or keeps) the backend; returns its name. */
export async function modelBackend(forced?: ModelBackend): Promise<string> {
  if (forced === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialise');
  } else {
    const running = runningBackend();
    if (forced === 'wasm' || running === null || !FAST_BACKENDS.includes(running)) {
      const why = await startWasm();
      if (why !== null) throw new Error(`the tfjs wasm backend failed to initialise (${why}); pass backend 'cpu' to run the privacy models on the (much slower) cpu backend`);
    }
  }
  await tf.ready();
  return tf.getBackend();
}
