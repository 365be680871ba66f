// Bilinear resampling taps with half-pixel centres, clamped at the border (as
// tf.image.resizeBilinear with half-pixel centres): output pixel X reads the source grid at
// u = (X + 0.5) * f - 0.5, between cells i0 and i1 with weight t on i1.

export interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  t: Float32Array;
}

/** Taps for n output pixels from a source of srcN cells, f source cells per output pixel. */
export function bilinearTaps(n: number, srcN: number, f: number): Taps {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const t = new Float32Array(n);
  for (let X = 0; X < n; X++) {
    const u = Math.min(srcN - 1, Math.max(0, (X + 0.5) * f - 0.5));
    const a = Math.floor(u);
    i0[X] = a;
    i1[X] = Math.min(srcN - 1, a + 1);
    t[X] = u - a;
  }
  return { i0, i1, t };
}
