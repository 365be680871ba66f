// Splits a per-pixel id map (a label image: Cityscapes instanceIds, a BDD100K bitmask's
// instance channel) into one COCO RLE per id in a single column-major pass, with each id's
// pixel count and box. Boxes follow pycocotools' toBbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1].
import type { Box, Rle } from './types.ts';

export interface IdRegion {
  id: number;
  mask: Rle;
  area: number;
  bbox: Box;
}

/**
 * `ids` is row-major (as images are stored), h rows by w columns. Pixels whose id `keep`
 * rejects (default: 0) belong to no region. Regions come out in increasing id order.
 */
export function regionsFromIdMap(ids: ArrayLike<number>, h: number, w: number, keep: (id: number) => boolean = (v) => v !== 0): IdRegion[] {
  if (ids.length !== h * w) throw new Error(`id map has ${ids.length} pixels, expected ${h}x${w}`);
  interface Acc { counts: number[]; end: number; area: number; x0: number; y0: number; x1: number; y1: number }
  const acc = new Map<number, Acc>();
  const kept = new Map<number, boolean>();
  let pos = 0; // column-major position
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++, pos++) {
      const v = ids[y * w + x];
      let k = kept.get(v);
      if (k === undefined) {
        k = keep(v);
        kept.set(v, k);
      }
      if (!k) continue;
      let a = acc.get(v);
      if (!a) {
        a = { counts: [], end: 0, area: 0, x0: x, y0: y, x1: x, y1: y };
        acc.set(v, a);
      }
      if (a.end === pos && a.counts.length > 0) {
        a.counts[a.counts.length - 1]++;
      } else {
        a.counts.push(pos - a.end, 1);
      }
      a.end = pos + 1;
      a.area++;
      if (y < a.y0) a.y0 = y;
      if (y > a.y1) a.y1 = y;
      a.x1 = x;
    }
  }
  const out: IdRegion[] = [];
  for (const id of [...acc.keys()].sort((p, q) => p - q)) {
    const a = acc.get(id)!;
    if (a.end < h * w) a.counts.push(h * w - a.end);
    out.push({
      id,
      mask: { h, w, counts: Uint32Array.from(a.counts) },
      area: a.area,
      bbox: [a.x0, a.y0, a.x1 - a.x0 + 1, a.y1 - a.y0 + 1],
    });
  }
  return out;
}
