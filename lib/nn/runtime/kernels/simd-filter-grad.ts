// The filter gradient of a convolution (dilation 1, any stride and padding, NHWC) computed
// directly on the wasm heap by a WebAssembly SIMD kernel we emit ourselves, without transposing
// anything and without building an XNNPACK operator from the (large, fresh every step) output
// gradient:
//   dW[ky,kx,ci,co] = sum_{n,i,j} x[n, i*sh + ky - pt, j*sw + kx - pl, ci] * dy[n,i,j,co].
// For each output-gradient row (n, i) and tap (ky, kx), the range of j whose input pixel lies
// inside the image is contiguous, and along it both x (stride sw*C_in) and dy (stride C_out) are
// walked linearly; a micro-kernel keeps an R x 4V block of dW (R <= 4 input channels, V <= 2
// vectors of 4 output channels) in SIMD registers over that range: per pixel R broadcasts of x,
// V loads of dy, R*V vector multiply-adds. The rows of one image, its taps and blocks all work on
// data that stays in the L1/L2 caches. Requires C_out to be a multiple of 4.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, relaxedSimdAvailable, V128, type Func } from './wasm-emit.ts';
import { heapF32, heapOffset, type Info } from './call.ts';
import type { ConvGeometry } from './conv-geometry.ts';

type Kernel = (x: number, dy: number, acc: number, count: number, xStride: number, dyStride: number, accStride: number) => void;

/** Micro-kernel k{R}x{V}: params x, dy, acc, count, xStride, dyStride, accStride (bytes). */
function microKernel(r: number, v: number, fma: boolean): Func {
  const c = new Code();
  const [X, DY, ACC, COUNT, XS, DS, AS] = [0, 1, 2, 3, 4, 5, 6];
  const A0 = 7;
  const B0 = A0 + r * v;
  const S = B0 + v;
  for (let i = 0; i < r; i++) for (let k = 0; k < v; k++) c.get(ACC).get(AS).i32(i).mul().add().vload(k * 16).set(A0 + i * v + k);
  c.block().loop();
  c.get(COUNT).eqz().brIf(1);
  for (let k = 0; k < v; k++) c.get(DY).vload(k * 16).set(B0 + k);
  for (let i = 0; i < r; i++) {
    c.get(X).vsplat32(i * 4).set(S);
    for (let k = 0; k < v; k++) {
      c.madd(A0 + i * v + k, S, B0 + k, fma);
    }
  }
  c.get(X).get(XS).add().set(X);
  c.get(DY).get(DS).add().set(DY);
  c.get(COUNT).i32(1).sub().set(COUNT);
  c.br(0).end().end();
  for (let i = 0; i < r; i++) for (let k = 0; k < v; k++) c.get(ACC).get(AS).i32(i).mul().add().get(A0 + i * v + k).vstore(k * 16);
  return { name: `k${r}x${v}`, params: [I32, I32, I32, I32, I32, I32, I32], locals: [[r * v + v + 1, V128]], code: c };
}

function kernelsFor(backend: BackendWasm): Kernel[][] {
  const fma = relaxedSimdAvailable();
  const exp = kernelsOnHeap(backend, `filter-grad-${fma}`, () => {
    const funcs: Func[] = [];
    for (let r = 1; r <= 4; r++) for (let v = 1; v <= 2; v++) funcs.push(microKernel(r, v, fma));
    return funcs;
  }) as Record<string, Kernel>;
  const k: Kernel[][] = [];
  for (let r = 1; r <= 4; r++) k[r] = [exp[`k${r}x1`], exp[`k${r}x1`], exp[`k${r}x2`]];
  return k;
}

/** Whether the SIMD kernel handles this gradient. */
export function simdFilterGradApplies(g: ConvGeometry): boolean {
  return g.outC % 4 === 0;
}

export function simdFilterGrad(backend: BackendWasm, x: Info, dy: Info, g: ConvGeometry): Info {
  const k = kernelsFor(backend);
  const { batch, inH, inW, inC: ci, outH, outW, outC: co, kh, kw, sh, sw, padTop: pt, padLeft: pl } = g;
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  heapF32(backend, out).fill(0);
  const xBase = heapOffset(backend, x);
  const dyBase = heapOffset(backend, dy);
  const outBase = heapOffset(backend, out);
  const xStride = sw * ci * 4;
  const dyStride = co * 4;
  const accStride = co * 4;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      const dyRow = dyBase + (b * outH + i) * outW * co * 4;
      for (let ky = 0; ky < kh; ky++) {
        const xr = i * sh + ky - pt;
        if (xr < 0 || xr >= inH) continue;
        const xRow = xBase + (b * inH + xr) * inW * ci * 4;
        for (let kx = 0; kx < kw; kx++) {
          const j0 = Math.max(0, Math.ceil((pl - kx) / sw));
          const j1 = Math.min(outW, Math.floor((inW - 1 + pl - kx) / sw) + 1);
          const count = j1 - j0;
          if (count <= 0) continue;
          const xp = xRow + (j0 * sw + kx - pl) * ci * 4;
          const dp = dyRow + j0 * co * 4;
          const acc = outBase + (ky * kw + kx) * ci * co * 4;
          for (let c0 = 0; c0 < ci; c0 += 4) {
            const kr = k[Math.min(4, ci - c0)];
            for (let o0 = 0; o0 < co; o0 += 8) {
              kr[Math.min(2, (co - o0) >> 2)](xp + c0 * 4, dp + o0 * 4, acc + (c0 * co + o0) * 4, count, xStride, dyStride, accStride);
            }
          }
        }
      }
    }
  }
  return out;
}
