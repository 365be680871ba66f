// COCO records of synthetic samples: image entries and annotations with compressed-RLE masks
// (lib/data/masks, bit-exact with pycocotools), bbox and area from the mask, 17 keypoints and
// a non-standard `face_box` for persons. Riders are COCO persons; crowds have iscrowd = 1.
// Licence plates are annotations of their own category (coco-plates.ts), not instances here.
// As in COCO, keypoints are labelled only on persons of at least KEYPOINT_MIN_AREA mask pixels
// (COCO's medium and large persons; its small persons and crowds have num_keypoints = 0, which
// COCO's keypoint evaluation ignores).
import { encode, toJson } from '../masks/index.ts';
import { PLATE_LABEL } from '../plate.ts';
import type { Box, RleJson } from '../types.ts';
import { COCO_CATEGORY } from './labels.ts';
import { COCO_SKELETON, KEYPOINT_NAMES } from './person.ts';
import type { SynthSample } from './generate.ts';

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  iscrowd: 0 | 1;
  area: number;
  bbox: Box;
  segmentation: RleJson;
  keypoints?: number[];
  num_keypoints?: number;
  face_box?: Box;
}

export const COCO_CATEGORIES = [
  { id: COCO_CATEGORY.person, name: 'person', supercategory: 'person' },
  { id: COCO_CATEGORY.bicycle, name: 'bicycle', supercategory: 'vehicle' },
  { id: COCO_CATEGORY.car, name: 'car', supercategory: 'vehicle' },
  { id: COCO_CATEGORY.licensePlate, name: PLATE_LABEL, supercategory: 'vehicle' },
];

export const COCO_PERSON_CATEGORY = {
  id: COCO_CATEGORY.person,
  name: 'person',
  supercategory: 'person',
  keypoints: [...KEYPOINT_NAMES],
  skeleton: COCO_SKELETON.map(([a, b]) => [a, b]),
};

/** Image file name relative to leftImg8bit/<split>. */
export function cocoFileName(s: SynthSample): string {
  return `synth/${s.name}_leftImg8bit.png`;
}

/** Smallest person (mask pixels) whose keypoints are labelled: 32^2, COCO's lower bound of a
 * medium object. */
export const KEYPOINT_MIN_AREA = 32 * 32;

let scratch = new Uint8Array(0);

/**
 * The image record and annotations of one sample. Annotation ids start at `firstId`;
 * the image id is index + 1.
 */
export function cocoRecords(s: SynthSample, firstId: number): { image: CocoImage; annotations: CocoAnnotation[] } {
  const W = s.width;
  const H = s.height;
  const image: CocoImage = { id: s.index + 1, file_name: cocoFileName(s), width: W, height: H };
  if (scratch.length !== W * H) scratch = new Uint8Array(W * H);
  const mask = scratch;
  const idx = s.objectIndex;
  const annotations: CocoAnnotation[] = [];
  let id = firstId;
  for (const inst of s.instances) {
    const [bx, by, bw, bh] = inst.bbox;
    for (let y = by; y < by + bh; y++) {
      for (let x = bx, i = y * W + bx; x < bx + bw; x++, i++) mask[i] = idx[i] === inst.obj ? 1 : 0;
    }
    const segmentation = toJson(encode(mask, H, W));
    for (let y = by; y < by + bh; y++) mask.fill(0, y * W + bx, y * W + bx + bw);
    const a: CocoAnnotation = {
      id: id++,
      image_id: image.id,
      category_id: inst.cocoCategoryId,
      iscrowd: inst.iscrowd ? 1 : 0,
      area: inst.area,
      bbox: [...inst.bbox],
      segmentation,
    };
    if (inst.cocoCategoryId === COCO_CATEGORY.person) {
      const labelled = inst.keypoints !== undefined && !inst.iscrowd && inst.area >= KEYPOINT_MIN_AREA;
      a.keypoints = labelled ? [...inst.keypoints!] : new Array(51).fill(0);
      a.num_keypoints = labelled ? (inst.numKeypoints ?? 0) : 0;
      if (inst.faceBox) a.face_box = [...inst.faceBox];
    }
    annotations.push(a);
  }
  return { image, annotations };
}

/** Drops the keypoint fields (COCO instances files carry none). */
export function withoutKeypoints(a: CocoAnnotation): CocoAnnotation {
  const { keypoints: _k, num_keypoints: _n, ...rest } = a;
  return rest;
}
