// A stride-1 NHWC convolution (+ bias, + ReLU) by a WebAssembly SIMD kernel we emit ourselves,
// run in place on the tfjs heap. Used for the forward pass (Conv2D / FusedConv2D) and, with the
// filter rotated by 180 degrees and its channel axes swapped, for input gradients; it does the
// multiply-adds of XNNPACK's convolution at a higher rate on the shapes of our nets and builds no
// operator (XNNPACK re-packs the weights every step, since they change every step).
//
// A micro-kernel computes a tile of R <= 4
// consecutive output pixels of one row by 4V (V <= 2) output channels, its accumulators in SIMD
// registers, looping over the taps (ky, kx) and input channels c: per step R broadcasts of
// x[pixel + tap, c], V loads of w[ky, kx, c, o..o+4V), R*V vector multiply-adds; it then adds the
// bias, applies the ReLU if asked, and stores. The tile loop along a row runs inside the kernel.
// Kernels are emitted per (C_in, C_out), so that strides and offsets are constants.
// Requires C_out to be a multiple of 4.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Code, I32, kernelsOnHeap, relaxedSimdAvailable, V128, type Func } from './wasm-emit.ts';
import { heapF32, heapOffset, type Info } from './call.ts';

type Kernel = (...args: number[]) => void;

/**
 * conv{R}x{V}(x, w, bias, out, tiles, kh, kw, xRow, relu, wSkip), specialised for C_in = ci and
 * C_out = co (constant strides and offsets). Computes `tiles` tiles of R pixels of one output row
 * over kh x kw taps (kh, kw >= 1; a subset of the filter's taps at the image border):
 * x: input pixel of the first tile's first pixel at the first tap; w: filter at that tap, channel
 * o0; bias: bias + o0 (0: none); out: output of the first pixel, channel o0; xRow: bytes per input
 * row; wSkip: filter bytes to skip after each row of taps (the taps left out); relu: 0 or 1.
 */
function convKernel(r: number, v: number, ci: number, co: number, fma: boolean): Func {
  const P = { x: 0, w: 1, bias: 2, out: 3, tiles: 4, kh: 5, kw: 6, xRow: 7, relu: 8, wSkip: 9 };
  let n = 10;
  const L = { ky: n++, kx: n++, xt: n++, wt: n++, xc: n++, wc: n++, c: n++ };
  const A0 = n;
  const B0 = A0 + r * v;
  const S = B0 + v;
  const xPix = ci * 4;
  const coBytes = co * 4;
  const wTap = ci * coBytes;
  const c = new Code();
  c.block().loop(); // tiles
  c.get(P.tiles).eqz().brIf(1);
  for (let i = 0; i < r; i++)
    for (let k = 0; k < v; k++) {
      c.block();
      c.vzero().set(A0 + i * v + k);
      c.get(P.bias).eqz().brIf(0);
      c.get(P.bias).vload(k * 16).set(A0 + i * v + k);
      c.end();
    }
  c.get(P.x).set(L.xt);
  c.get(P.w).set(L.wt);
  c.get(P.kh).set(L.ky);
  c.loop(); // ky
  c.get(P.kw).set(L.kx);
  c.loop(); // kx
  c.get(L.xt).set(L.xc);
  c.get(L.wt).set(L.wc);
  c.i32(ci).set(L.c);
  c.loop(); // c
  for (let k = 0; k < v; k++) c.get(L.wc).vload(k * 16).set(B0 + k);
  for (let i = 0; i < r; i++) {
    c.get(L.xc).vsplat32(i * xPix).set(S);
    for (let k = 0; k < v; k++) {
      c.madd(A0 + i * v + k, S, B0 + k, fma);
    }
  }
  c.get(L.xc).i32(4).add().set(L.xc);
  c.get(L.wc).i32(coBytes).add().set(L.wc);
  c.get(L.c).i32(1).sub().set(L.c);
  c.get(L.c).brIf(0);
  c.end(); // c
  c.get(L.xt).i32(xPix).add().set(L.xt);
  c.get(L.wt).i32(wTap).add().set(L.wt);
  c.get(L.kx).i32(1).sub().set(L.kx);
  c.get(L.kx).brIf(0);
  c.end(); // kx
  c.get(L.xt).get(P.xRow).add().get(P.kw).i32(xPix).mul().sub().set(L.xt);
  c.get(L.wt).get(P.wSkip).add().set(L.wt);
  c.get(L.ky).i32(1).sub().set(L.ky);
  c.get(L.ky).brIf(0);
  c.end(); // ky
  for (let i = 0; i < r; i++)
    for (let k = 0; k < v; k++) {
      const a = A0 + i * v + k;
      c.block();
      c.get(P.relu).eqz().brIf(0);
      c.get(a).vzero().f32x4Max().set(a);
      c.end();
      c.get(P.out).get(a).vstore(i * coBytes + k * 16);
    }
  c.get(P.x).i32(r * xPix).add().set(P.x);
  c.get(P.out).i32(r * coBytes).add().set(P.out);
  c.get(P.tiles).i32(1).sub().set(P.tiles);
  c.br(0).end().end();
  return { name: `conv${r}x${v}`, params: new Array(10).fill(I32), locals: [[7, I32], [r * v + v + 1, V128]], code: c };
}

function kernels(backend: BackendWasm, ci: number, co: number): Kernel[][] {
  const fma = relaxedSimdAvailable();
  const exp = kernelsOnHeap(backend, `conv-${ci}-${co}-${fma}`, () => {
    const funcs: Func[] = [];
    for (let r = 1; r <= 4; r++) for (let v = 1; v <= 2; v++) funcs.push(convKernel(r, v, ci, co, fma));
    return funcs;
  });
  const k: Kernel[][] = [];
  for (let r = 1; r <= 4; r++) k[r] = [exp[`conv${r}x1`], exp[`conv${r}x1`], exp[`conv${r}x2`]];
  return k;
}


/** Whether simdConv handles this case. */
export function simdConvApplies(outC: number): boolean {
  return outC % 4 === 0;
}

/**
 * y = act(conv(x, w) + bias), stride 1, dilation 1, explicit padding (top, bottom, left, right;
 * negative crops), NHWC; w [kh, kw, C_in, C_out]; bias [C_out] or null. Border pixels use the
 * taps that fall inside the image (no padded copy of the input is made).
 */
export function simdConv(backend: BackendWasm, x: Info, w: Info, bias: Info | null, pads: [number, number, number, number], relu: boolean): Info {
  const [n, h, wd, ci] = x.shape;
  const [kh, kw, wci, co] = w.shape;
  if (wci !== ci) throw new Error(`simdConv: input has ${ci} channels, filter ${wci}`);
  const [pt, pb, pl, pr] = pads;
  const ho = h + pt + pb - kh + 1;
  const wo = wd + pl + pr - kw + 1;
  if (ho <= 0 || wo <= 0) throw new Error(`simdConv: empty output for input [${x.shape}], filter [${w.shape}], padding [${pads}]`);
  const out = backend.makeOutput([n, ho, wo, co], 'float32');
  const k = kernels(backend, ci, co);
  const xBase = heapOffset(backend, x);
  const wBase = heapOffset(backend, w);
  const bBase = bias ? heapOffset(backend, bias) : 0;
  const oBase = heapOffset(backend, out);
  const xPix = ci * 4;
  const xRow = wd * xPix;
  const coBytes = co * 4;
  const wTap = ci * coBytes;
  const r1 = relu ? 1 : 0;
  // Output columns whose taps all lie inside the image.
  const jIn0 = Math.min(wo, Math.max(0, pl));
  const jIn1 = Math.max(jIn0, Math.min(wo, wd + pl - kw + 1));
  const full = Math.floor((jIn1 - jIn0) / 4);
  const rest = jIn1 - jIn0 - full * 4;
  const empty: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      const ky0 = Math.max(0, pt - i);
      const ky1 = Math.min(kh, h + pt - i);
      const orow = oBase + (b * ho + i) * wo * coBytes;
      if (ky1 <= ky0) {
        for (let j = 0; j < wo; j++) empty.push(orow + j * coBytes);
        continue;
      }
      const xr = xBase + (b * h + i + ky0 - pt) * xRow;
      const wr = wBase + ky0 * kw * wTap;
      const khr = ky1 - ky0;
      const edge = (j: number) => {
        const kx0 = Math.max(0, pl - j);
        const kx1 = Math.min(kw, wd + pl - j);
        if (kx1 <= kx0) {
          empty.push(orow + j * coBytes);
          return;
        }
        const xp = xr + (j + kx0 - pl) * xPix;
        const wp = wr + kx0 * wTap;
        const skip = (kw - (kx1 - kx0)) * wTap;
        for (let o0 = 0; o0 < co; o0 += 8) {
          const v = Math.min(2, (co - o0) >> 2);
          k[1][v](xp, wp + o0 * 4, bias ? bBase + o0 * 4 : 0, orow + j * coBytes + o0 * 4, 1, khr, kx1 - kx0, xRow, r1, skip);
        }
      };
      for (let j = 0; j < jIn0; j++) edge(j);
      const xp = xr + (jIn0 - pl) * xPix;
      for (let o0 = 0; o0 < co; o0 += 8) {
        const v = Math.min(2, (co - o0) >> 2);
        const bo = bias ? bBase + o0 * 4 : 0;
        const op = orow + jIn0 * coBytes + o0 * 4;
        if (full) k[4][v](xp, wr + o0 * 4, bo, op, full, khr, kw, xRow, r1, 0);
        if (rest) k[rest][v](xp + full * 4 * xPix, wr + o0 * 4, bo, op + full * 4 * coBytes, 1, khr, kw, xRow, r1, 0);
      }
      for (let j = jIn1; j < wo; j++) edge(j);
    }
  }
  if (empty.length) {
    // Pixels no tap reaches: bias (rectified) or zero.
    const o = heapF32(backend, out);
    const bv = bias ? heapF32(backend, bias) : null;
    for (const at of empty) for (let c = 0; c < co; c++) o[(at - oBase) / 4 + c] = bv ? (relu ? Math.max(0, bv[c]) : bv[c]) : 0;
  }
  return out;
}
