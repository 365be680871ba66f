// A COCO annotation's `segmentation` -> RLE, as pycocotools COCO.annToRLE does it: a list of
// polygons is rasterized polygon by polygon (frPoly) and the results are merged by union; an
// RLE object (uncompressed counts list or compressed string) is read as it is.
import type { Rle } from '../types.ts';
import { DataError } from '../types.ts';
import { NO_CONTEXT } from './context.ts';
import type { MaskContext } from './context.ts';
import { frPoly } from './frPoly.ts';
import { fromJson } from './json.ts';
import { merge } from './merge.ts';

/**
 * Stricter than pycocotools in what it accepts: a polygon needs at least 3 points (pycocotools
 * would treat a 4-number first polygon as a box), an even number of finite numbers, and an RLE's
 * size must equal the image's (h, w). Problems throw a DataError naming ctx.
 */
export function segmentationToRle(seg: unknown, h: number, w: number, ctx: MaskContext = NO_CONTEXT): Rle {
  const fail = (field: string, problem: string): never => {
    throw new DataError(ctx.file, ctx.record, field, problem);
  };
  if (Array.isArray(seg)) {
    if (seg.length === 0) fail(ctx.field, 'empty polygon list');
    const parts: Rle[] = [];
    for (let i = 0; i < seg.length; i++) {
      const poly = seg[i];
      const field = `${ctx.field}[${i}]`;
      if (!Array.isArray(poly)) fail(field, `expected a polygon (list of numbers), got ${typeof poly === 'object' ? JSON.stringify(poly)?.slice(0, 60) : String(poly)}`);
      const p = poly as unknown[];
      for (let j = 0; j < p.length; j++) {
        if (typeof p[j] !== 'number' || !Number.isFinite(p[j])) fail(field, `coordinate ${j} is ${String(p[j])}, not a finite number`);
      }
      if (p.length % 2 !== 0) fail(field, `polygon has an odd number (${p.length}) of coordinates`);
      if (p.length < 6) fail(field, `polygon has ${p.length / 2} points, at least 3 are needed`);
      parts.push(frPoly(p as number[], h, w));
    }
    return merge(parts);
  }
  if (seg !== null && typeof seg === 'object') return fromJson(seg, h, w, ctx);
  return fail(ctx.field, `expected a polygon list or an RLE object, got ${seg === undefined ? 'nothing' : JSON.stringify(seg)}`);
}
