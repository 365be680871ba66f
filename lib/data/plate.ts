// Licence plates in the formats that carry them, under the Cityscapes label's name 'license plate'
// (cityscapesScripts labels.py: id -1, category vehicle, not evaluated; lib/data/cityscapes-labels.ts):
// - COCO: annotations of a category named 'license plate', their `bbox` the plate's box;
// - Cityscapes: objects labelled 'license plate' in `_gtFine_polygons.json`. cityscapesScripts
//   draws polygons with PIL's ImageDraw.polygon, which fills the outline's pixels too: a polygon
//   with integer vertices covers columns min x .. max x and rows min y .. max y, both included.
//   That rectangle is the plate's box here (polygonBox), and a box is written as the polygon of
//   its corner pixels (boxPolygon), so that the two read back into each other.
import type { Box } from './types.ts';

export const PLATE_LABEL = 'license plate';

/** The polygon [[x, y], ...] whose PIL drawing is the pixel box [x, y, w, h] (integer, w, h >= 1). */
export function boxPolygon(box: Box): [number, number][] {
  const [x, y, w, h] = box;
  const x1 = x + w - 1;
  const y1 = y + h - 1;
  return [
    [x, y],
    [x1, y],
    [x1, y1],
    [x, y1],
  ];
}

/** The pixel box [x, y, w, h] a polygon covers as PIL draws it (floor of the extreme vertices, both ends included). */
export function polygonBox(points: readonly (readonly number[])[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x!);
    y0 = Math.min(y0, y!);
    x1 = Math.max(x1, x!);
    y1 = Math.max(y1, y!);
  }
  const ax = Math.floor(x0);
  const ay = Math.floor(y0);
  return [ax, ay, Math.floor(x1) + 1 - ax, Math.floor(y1) + 1 - ay];
}
