// The one in-memory model every reader produces and every writer consumes.

/**
 * A binary mask in COCO run-length encoding (pycocotools' `RLE` struct):
 * the mask is read in column-major (Fortran) order, `counts` alternate runs of
 * 0s and 1s starting with 0s, and their sum is h * w.
 */
export interface Rle {
  h: number;
  w: number;
  counts: Uint32Array;
}

/** COCO's JSON form of an RLE: `counts` is the compressed string or the plain list. */
export interface RleJson {
  size: [number, number]; // [h, w]
  counts: string | number[];
}

/** [x, y, width, height] in pixels, as COCO writes boxes. */
export type Box = [number, number, number, number];

export type DatasetFormat = 'coco' | 'cityscapes' | 'bdd100k';

export interface Category {
  id: number;
  name: string;
  supercategory?: string;
  /** COCO person_keypoints: the 17 keypoint names and the skeleton. */
  keypoints?: string[];
  skeleton?: [number, number][];
}

export interface Instance {
  /** Annotation id (COCO), instance id (Cityscapes instanceIds value), label id (BDD100K). */
  id: number;
  categoryId: number;
  category: string;
  mask: Rle;
  bbox: Box;
  /** COCO iscrowd, Cityscapes group (id < 1000), BDD100K crowd flag. */
  iscrowd: boolean;
  /** BDD100K/Cityscapes ignore-in-eval regions; COCO `ignore` when present. */
  ignore: boolean;
  /** Area as the source states it (COCO `area`); otherwise the mask's pixel count. */
  area: number;
  /** 17 COCO keypoints as [x1, y1, v1, ...] (51 numbers); v: 0 absent, 1 occluded, 2 visible. */
  keypoints?: number[];
  numKeypoints?: number;
  /** Ground-truth face box when the dataset has one. */
  faceBox?: Box;
  /**
   * The source's own record for this instance (COCO annotation object, Scalabel label,
   * Cityscapes polygon object), kept so that a writer can reproduce it exactly.
   */
  source?: unknown;
}

/**
 * A licence plate: a region to anonymize, never an object class. Plates are kept apart from
 * `instances` so that no task model trains on them and no evaluation counts them (COCO
 * `license plate` annotations, Cityscapes `license plate` polygons: label id -1, not evaluated).
 */
export interface Plate {
  /** COCO: the annotation id; Cityscapes: the object's index in `_gtFine_polygons.json`. */
  id: number;
  /** [x, y, w, h] in pixels: COCO's bbox; for a Cityscapes polygon, the pixels it covers. */
  box: Box;
  /** The source's own record (COCO annotation object, Cityscapes polygon object). */
  source?: unknown;
}

export interface Sample {
  /** Stable id within the split (COCO image id, Cityscapes `<city>_<seq>_<frame>`, BDD100K name). */
  id: string;
  /** Image path relative to the dataset root, always with forward slashes. */
  file: string;
  width: number;
  height: number;
  instances: Instance[];
  /** Licence plates to anonymize (lib/regions/plate.ts); absent when the dataset has none. */
  plates?: Plate[];
  /** Format-specific files belonging to the sample (e.g. Cityscapes gtFine paths), relative to root. */
  extraFiles?: Record<string, string>;
  /** The source's own image record (COCO image object, Scalabel frame). */
  source?: unknown;
}

export interface Dataset {
  format: DatasetFormat;
  /** Absolute path of the dataset root. */
  root: string;
  split: string;
  categories: Category[];
  samples: Sample[];
  /** COCO: the `license plate` category whose annotations became `Sample.plates` (kept out of `categories`). */
  plateCategory?: Category;
  /** Format-level metadata kept for faithful writing (COCO `info`, `licenses`). */
  meta?: Record<string, unknown>;
}

/** An error in input data, naming the file, the record and the field. */
export class DataError extends Error {
  readonly file: string;
  readonly record: string;
  readonly field: string;
  constructor(file: string, record: string, field: string, problem: string) {
    super(`${file}: ${record}: ${field}: ${problem}`);
    this.name = 'DataError';
    this.file = file;
    this.record = record;
    this.field = field;
  }
}
