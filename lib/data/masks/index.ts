// COCO mask utilities, bit-exact with pycocotools (maskApi.c, _mask.pyx, mask.py, coco.py annToRLE).
// Masks passed in and out as pixels are ROW-major (index y * w + x); RLE runs are column-major.
export { encode } from './encode.ts';
export { decode } from './decode.ts';
export { area } from './area.ts';
export { toBbox, toBboxes } from './toBbox.ts';
export { iou, pairIou } from './iou.ts';
export { bboxIou, bboxIouFlat } from './bboxIou.ts';
export { merge } from './merge.ts';
export { frPoly } from './frPoly.ts';
export { frBbox } from './frBbox.ts';
export { toString, fromString, parseCounts } from './string.ts';
export { toJson, fromJson } from './json.ts';
export { segmentationToRle } from './segmentation.ts';
export { assertRle, rleProblem, MAX_PIXELS } from './validate.ts';
export type { MaskContext } from './context.ts';
