// The annotated licence plates of a painted canvas: each car's plate was painted in a draw group
// of its own (vehicle.ts), so its visible pixels are those still carrying that group at the end
// (a later object, a shadow aside, paints over them with another group). A plate's box is the
// tight box of its visible pixels, as pycocotools' toBbox gives it for a mask; a plate with no
// visible pixel is not annotated. This also holds for a car too small to be an instance
// (annotate.ts MIN_AREA): its plate pixels are still a plate to anonymize.
import type { Box } from '../types.ts';
import type { DrawnObject } from './annotate.ts';
import type { Canvas } from './raster.ts';

export interface SynthPlate {
  /** [x, y, w, h] of the visible plate pixels. */
  box: Box;
  /** Index of the car in the sample's object table (SynthSample.objectIndex). */
  obj: number;
  /** Visible pixels. */
  area: number;
}

export function plateBoxes(c: Canvas, objects: readonly DrawnObject[]): SynthPlate[] {
  const groups: { group: number; obj: number }[] = [];
  objects.forEach((d, obj) => {
    if (d.plateGroup) groups.push({ group: d.plateGroup, obj });
  });
  if (groups.length === 0) return [];
  groups.sort((a, b) => a.group - b.group);
  const lut = new Int32Array(0x10000).fill(-1);
  groups.forEach((g, k) => (lut[g.group] = k));
  const n = groups.length;
  const area = new Int32Array(n);
  const minX = new Int32Array(n).fill(c.width);
  const minY = new Int32Array(n).fill(c.height);
  const maxX = new Int32Array(n).fill(-1);
  const maxY = new Int32Array(n).fill(-1);
  const seq = c.seq;
  for (let y = 0, i = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++, i++) {
      const k = lut[seq[i]];
      if (k < 0) continue;
      area[k]++;
      if (x < minX[k]) minX[k] = x;
      if (x > maxX[k]) maxX[k] = x;
      if (y < minY[k]) minY[k] = y;
      if (y > maxY[k]) maxY[k] = y;
    }
  }
  const out: SynthPlate[] = [];
  for (let k = 0; k < n; k++) {
    if (area[k] === 0) continue;
    out.push({ box: [minX[k], minY[k], maxX[k] - minX[k] + 1, maxY[k] - minY[k] + 1], obj: groups[k].obj, area: area[k] });
  }
  return out;
}
