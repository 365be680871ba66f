// The interleaving kernels of lib/nn/ops/up-conv.ts on the wasm heap, one pass each:
//   upAddRelu {p00, p01, p10, p11, s} -> y[n, 2i+a, 2j+b, c] = max(0, p_ab[n,i,j,c] + s[n, 2i+a, 2j+b, c])
//   phaseSplit {x} -> [x00, x01, x10, x11], x_ab[n,i,j,c] = x[n, 2i+a, 2j+b, c]
// With channels a multiple of 4 the inner loops are WebAssembly SIMD (simd-phases.ts).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, heapOffset, type Info } from './call.ts';
import { simdPhaseKernels } from './simd-phases.ts';


type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown };

export function upAddRelu(args: Args): Info {
  const backend = args.backend as BackendWasm;
  const { p00, p01, p10, p11, s } = args.inputs as Record<string, Info>;
  const [n, h, w, c] = p00.shape;
  if (s.shape[1] !== 2 * h || s.shape[2] !== 2 * w || s.shape[3] !== c) throw new Error(`upAddRelu: s [${s.shape}] does not match phases [${p00.shape}]`);
  const out = backend.makeOutput(s.shape, 'float32');
  if (c % 4 === 0) {
    const k = simdPhaseKernels(backend);
    const cb = c * 4;
    const po = [p00, p01, p10, p11].map((p) => heapOffset(backend, p));
    const so = heapOffset(backend, s);
    const oo = heapOffset(backend, out);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < h; i++)
        for (let a = 0; a < 2; a++) {
          const row = ((b * 2 * h + 2 * i + a) * 2 * w) * cb;
          const pr = ((b * h + i) * w) * cb;
          for (let e = 0; e < 2; e++) k.addRelu(po[2 * a + e] + pr, so + row + e * cb, oo + row + e * cb, w, cb, cb, 2 * cb);
        }
    return out;
  }
  const ps = [p00, p01, p10, p11].map((p) => heapF32(backend, p));
  const sv = heapF32(backend, s);
  const y = heapF32(backend, out);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let a = 0; a < 2; a++) {
        let o = ((b * 2 * h + 2 * i + a) * 2 * w) * c;
        const pa = ps[2 * a];
        const pb = ps[2 * a + 1];
        let q = ((b * h + i) * w) * c;
        for (let j = 0; j < w; j++) {
          for (let k = 0; k < c; k++) {
            const v = pa[q + k] + sv[o + k];
            y[o + k] = v > 0 ? v : 0;
          }
          o += c;
          for (let k = 0; k < c; k++) {
            const v = pb[q + k] + sv[o + k];
            y[o + k] = v > 0 ? v : 0;
          }
          o += c;
          q += c;
        }
      }
    }
  }
  return out;
}

export function phaseSplit(args: Args): Info[] {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: Info };
  const [n, hh, ww, c] = x.shape;
  if (hh % 2 || ww % 2) throw new Error(`phaseSplit: [${x.shape}] has an odd height or width`);
  const h = hh / 2;
  const w = ww / 2;
  const outs = [0, 1, 2, 3].map(() => backend.makeOutput([n, h, w, c], 'float32'));
  if (c % 4 === 0) {
    const k = simdPhaseKernels(backend);
    const cb = c * 4;
    const oo = outs.map((o) => heapOffset(backend, o));
    const xo = heapOffset(backend, x);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < h; i++)
        for (let a = 0; a < 2; a++) {
          const row = xo + ((b * hh + 2 * i + a) * ww) * cb;
          const dr = ((b * h + i) * w) * cb;
          for (let e = 0; e < 2; e++) k.copy(row + e * cb, oo[2 * a + e] + dr, w, cb, 2 * cb, cb);
        }
    return outs;
  }
  const ov = outs.map((o) => heapF32(backend, o));
  const xv = heapF32(backend, x);
  let src = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let a = 0; a < 2; a++) {
        const da = ov[2 * a];
        const db = ov[2 * a + 1];
        let q = ((b * h + i) * w) * c;
        for (let j = 0; j < w; j++) {
          for (let k = 0; k < c; k++) da[q + k] = xv[src++];
          for (let k = 0; k < c; k++) db[q + k] = xv[src++];
          q += c;
        }
      }
    }
  }
  return outs;
}
