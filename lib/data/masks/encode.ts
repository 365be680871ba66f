// Binary mask -> RLE, following pycocotools rleEncode: the mask is scanned in column-major
// (Fortran) order and runs alternate 0s and 1s, starting with a (possibly empty) run of 0s.
import type { Rle } from '../types.ts';

let scratch = new Uint32Array(1024);

/**
 * Encodes a ROW-major h*w mask (nonzero = inside) as column-major runs, like pycocotools'
 * `encode(np.asfortranarray(mask))`. pycocotools compares raw byte values, so it expects 0/1
 * input; here any nonzero value counts as 1 (identical result for 0/1 masks).
 */
export function encode(mask: ArrayLike<number>, h: number, w: number): Rle {
  if (!Number.isInteger(h) || h < 0 || !Number.isInteger(w) || w < 0) throw new RangeError(`encode: bad size ${h} x ${w}`);
  const a = h * w;
  if (mask.length !== a) throw new RangeError(`encode: mask has ${mask.length} values, expected ${h} x ${w} = ${a}`);
  if (scratch.length < a + 1) scratch = new Uint32Array(Math.max(a + 1, scratch.length * 2));
  const cnts = scratch;
  let k = 0;
  let p = 0;
  let c = 0;
  for (let x = 0; x < w; x++) {
    for (let i = x; i < a; i += w) {
      const v = mask[i] !== 0 ? 1 : 0;
      if (v !== p) {
        cnts[k++] = c;
        c = 0;
        p = v;
      }
      c++;
    }
  }
  cnts[k++] = c;
  return { h, w, counts: cnts.slice(0, k) };
}
