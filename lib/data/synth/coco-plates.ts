// COCO records of the synthetic set's licence plates (plate-boxes.ts), for instances_<split>.json:
// one annotation of category 'license plate' (COCO_CATEGORY.licensePlate) per visible plate, bbox
// the box of its visible pixels, segmentation the compressed RLE of that box (pycocotools' frBbox),
// area the box's pixel count, iscrowd 0. The plates of a split are numbered after all of its
// object annotations (write.ts), so persons, riders, cars and bicycles keep their ids, which
// person_keypoints_<split>.json shares.
import { frBbox, toJson } from '../masks/index.ts';
import type { Box } from '../types.ts';
import type { CocoAnnotation } from './coco-json.ts';
import { COCO_CATEGORY } from './labels.ts';

/** Annotations of the plate boxes of one image, with ids from `firstId` on. */
export function cocoPlateRecords(imageId: number, plates: readonly Box[], width: number, height: number, firstId: number): CocoAnnotation[] {
  return plates.map((box, k) => ({
    id: firstId + k,
    image_id: imageId,
    category_id: COCO_CATEGORY.licensePlate,
    iscrowd: 0,
    area: box[2] * box[3],
    bbox: [...box],
    segmentation: toJson(frBbox(box, height, width)),
  }));
}
