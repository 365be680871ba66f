// Test helpers: samples made of rectangular instance masks.
import { encode, toBbox } from '../../lib/data/masks/index.ts';
import type { Instance, Rle, Sample } from '../../lib/data/types.ts';

/** A mask of the corner box [x0, y0, x1, y1) in a w x h image. */
export function rectMask(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Rle {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  return encode(m, h, w);
}

export interface InstSpec {
  id: number;
  category?: string;
  rect: [number, number, number, number];
  iscrowd?: boolean;
  ignore?: boolean;
  keypoints?: number[];
  faceBox?: [number, number, number, number];
}

export function sample(w: number, h: number, specs: InstSpec[], id = 's1'): Sample {
  const instances: Instance[] = specs.map((s) => {
    const mask = rectMask(w, h, ...s.rect);
    const inst: Instance = {
      id: s.id,
      categoryId: s.category === undefined || s.category === 'person' ? 1 : 2,
      category: s.category ?? 'person',
      mask,
      bbox: toBbox(mask),
      iscrowd: s.iscrowd ?? false,
      ignore: s.ignore ?? false,
      area: (s.rect[2] - s.rect[0]) * (s.rect[3] - s.rect[1]),
    };
    if (s.keypoints) inst.keypoints = s.keypoints;
    if (s.faceBox) inst.faceBox = s.faceBox;
    return inst;
  });
  return { id, file: `${id}.png`, width: w, height: h, instances };
}

/** 17 COCO keypoints, all unlabelled except the given ones: {index: [x, y]} (visibility 2). */
export function keypoints(labelled: Record<number, [number, number]>): number[] {
  const k = new Array(51).fill(0);
  for (const [i, [x, y]] of Object.entries(labelled)) {
    k[3 * Number(i)] = x;
    k[3 * Number(i) + 1] = y;
    k[3 * Number(i) + 2] = 2;
  }
  return k;
}
