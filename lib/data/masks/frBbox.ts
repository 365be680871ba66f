// Box -> RLE exactly as pycocotools rleFrBbox does it: rasterize the box's corner polygon
// (xs,ys) (xs,ye) (xe,ye) (xe,ys) with frPoly.
import type { Box, Rle } from '../types.ts';
import { frPoly } from './frPoly.ts';

export function frBbox(box: Box, h: number, w: number): Rle {
  const xs = box[0];
  const xe = xs + box[2];
  const ys = box[1];
  const ye = ys + box[3];
  return frPoly([xs, ys, xs, ye, xe, ye, xe, ys], h, w);
}
