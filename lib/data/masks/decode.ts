// RLE -> binary mask (pycocotools rleDecode), written out in ROW-major order.
import type { Rle } from '../types.ts';
import { assertRle } from './validate.ts';

/** ROW-major h*w mask of 0/1. Throws a RangeError when the counts do not sum to h * w. */
export function decode(rle: Rle): Uint8Array {
  assertRle(rle, 'decode');
  const { h, w, counts } = rle;
  const out = new Uint8Array(h * w);
  let pos = 0; // column-major index of the next pixel
  for (let j = 0; j < counts.length; j++) {
    const n = counts[j];
    if (j & 1 && n > 0) {
      let y = pos % h;
      let x = (pos - y) / h;
      let idx = y * w + x;
      for (let k = 0; k < n; k++) {
        out[idx] = 1;
        if (++y === h) {
          y = 0;
          idx = ++x;
        } else idx += w;
      }
    }
    pos += n;
  }
  return out;
}
