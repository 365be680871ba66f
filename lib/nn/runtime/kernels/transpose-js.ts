// Layout changes used by the convolution gradients, written as cache-tiled JavaScript loops over
// the wasm heap: the stock wasm Transpose walks the output with a large input stride and runs at
// about a third of the speed of these for the shapes of a conv net's activations.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, type Info } from './call.ts';

/** Pixels per tile: a tile of T pixels x N images x C channels stays in the L2 cache. */
const TILE = 256;

/** [N, H, W, C] -> [C, H, W, N] (perm [3, 1, 2, 0]). */
export function nhwcToChwn(backend: BackendWasm, x: Info): Info {
  if (x.dtype !== 'float32') throw new Error(`transpose: float32 expected, got ${x.dtype}`);
  const [n, h, w, c] = x.shape;
  const out = backend.makeOutput([c, h, w, n], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  const p = h * w;
  const pc = p * c;
  const pn = p * n;
  for (let p0 = 0; p0 < p; p0 += TILE) {
    const p1 = Math.min(p, p0 + TILE);
    for (let ch = 0; ch < c; ch++) {
      let d = ch * pn + p0 * n;
      for (let q = p0; q < p1; q++) {
        let s = q * c + ch;
        for (let b = 0; b < n; b++) {
          dst[d++] = src[s];
          s += pc;
        }
      }
    }
  }
  return out;
}

/** [N, H, W, C] -> [H, W, N, C] (perm [1, 2, 0, 3]). */
export function nhwcToHwnc(backend: BackendWasm, x: Info): Info {
  if (x.dtype !== 'float32') throw new Error(`transpose: float32 expected, got ${x.dtype}`);
  const [n, h, w, c] = x.shape;
  const out = backend.makeOutput([h, w, n, c], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  const p = h * w;
  const pc = p * c;
  let d = 0;
  for (let q = 0; q < p; q++) {
    for (let b = 0; b < n; b++) {
      let s = b * pc + q * c;
      for (let ch = 0; ch < c; ch++) dst[d++] = src[s++];
    }
  }
  return out;
}
