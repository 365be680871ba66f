// Loading COCO ground truth and detection results for COCOeval, with pycocotools' semantics:
//  - ground truth (COCO(): images, categories, annotations) keeps file order within an image,
//    and its `ignore` flag is what COCOeval._prepare sets: iscrowd, or for keypoints also
//    num_keypoints == 0. (_prepare overwrites any `ignore` field the file has, so it has no effect.)
//    Keypoints evaluation covers every category of the file (COCOeval's catIds are all of the
//    ground truth's): _prepare reads num_keypoints of every annotation, so it is required of each;
//    computeOks reads `keypoints` and `bbox` only of the annotations of an (image, category) that
//    has results, so an annotation without them (a car in a file that also has persons) is
//    accepted, and is an error only where pycocotools would read them (lib/eval/cocoeval.ts).
//  - results (COCO.loadRes): the branch is chosen by the FIRST result, as loadRes does:
//      first has a non-empty `bbox`  -> every result's area = w * h of its bbox, and a missing
//                                      `segmentation` becomes the box's polygon;
//      else first has `segmentation` -> area = mask pixel count, missing bbox = the mask's box
//                                      (an RLE, compressed or not; polygons are accepted too);
//      else first has `keypoints`    -> area and bbox from the keypoints' extent (x and y of all
//                                      of them, whatever their visibility).
//    So results carrying both a box and a mask (detectron2's) use the box area in segm evaluation.
// Stricter than pycocotools where it would silently drop or crash: results naming an image or a
// category the ground truth lacks, a missing or non-finite score, a malformed bbox, keypoints or
// RLE are errors naming the file, the record and the field.
import { DataError } from '../data/types.ts';
import { area as rleArea, segmentationToRle, toBbox } from '../data/masks/index.ts';
import type { IouType } from './coco-params.ts';
import { COCO_KPT_OKS_SIGMAS } from './coco-params.ts';
import { describe } from './coco-json.ts';

/** Image and category ids: COCO uses integers; strings are kept apart from numbers, as Python does. */
export type CocoId = number | string;

export interface CocoGt {
  file: string;
  /** Image ids sorted ascending (COCOeval: sorted(getImgIds()), np.unique). */
  imgIds: CocoId[];
  imgIndex: Map<CocoId, number>;
  /** Per image index: height and width (NaN where the file has none). */
  imgHeight: Float64Array;
  imgWidth: Float64Array;
  /** Category ids sorted ascending, their names, and id -> index. */
  catIds: CocoId[];
  catNames: string[];
  catIndex: Map<CocoId, number>;
  /** Number of keypoints per instance (the OKS sigmas' length) when loaded for keypoints. */
  numKeypoints: number;
  anns: GtTable;
}

/** Ground-truth annotations in file order, column by column. */
export interface GtTable {
  n: number;
  /** Position in the file's `annotations` array. */
  index: Int32Array;
  id: Float64Array;
  img: Int32Array;
  cat: Int32Array;
  area: Float64Array;
  iscrowd: Uint8Array;
  /** COCOeval's gt['ignore']: iscrowd, or (keypoints) num_keypoints == 0. */
  ignore: Uint8Array;
  /** 4 per annotation (bbox and keypoints evaluation). */
  bbox: Float64Array | null;
  /** 3 * numKeypoints per annotation (keypoints evaluation). */
  keypoints: Float64Array | null;
  /**
   * Keypoints evaluation: why an annotation's `keypoints` or `bbox` cannot be read (undefined
   * where they can). Thrown only when results of its image and category are compared with it.
   */
  unreadable: (DataError | undefined)[] | null;
  /** The `segmentation` values as the file has them (segm evaluation). */
  segmentation: unknown[] | null;
}

export interface CocoDt {
  file: string;
  n: number;
  /** Which loadRes branch the first result chose. */
  branch: 'bbox' | 'segm' | 'keypoints';
  img: Int32Array;
  cat: Int32Array;
  score: Float64Array;
  /** loadRes's area (see the branches above). */
  area: Float64Array;
  /** 4 per result (given, or derived as loadRes derives it). */
  bbox: Float64Array;
  keypoints: Float64Array | null;
  /** segm evaluation: each result's mask as JSON (RLE or polygons), decoded when evaluated. */
  segmentation: unknown[] | null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function compareIds(a: CocoId, b: CocoId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return a < b ? -1 : a > b ? 1 : 0;
}

function readId(v: unknown, file: string, record: string, field: string): CocoId {
  if (isNum(v) || (typeof v === 'string' && v !== '')) return v;
  throw new DataError(file, record, field, `expected a number or a non-empty string, got ${describe(v)}`);
}

function sortIds(ids: CocoId[], file: string, what: string): CocoId[] {
  const kinds = new Set(ids.map((v) => typeof v));
  if (kinds.size > 1) throw new DataError(file, what, 'id', 'mixes numbers and strings; ids must all be of one kind');
  return ids.slice().sort(compareIds);
}

/** Reads `bbox` as 4 finite numbers with non-negative width and height into out[4 * k ...]. */
function readBox(v: unknown, out: Float64Array, k: number, file: string, record: string): void {
  if (!Array.isArray(v) || v.length !== 4 || !v.every(isNum)) {
    throw new DataError(file, record, 'bbox', `expected [x, y, width, height] of 4 finite numbers, got ${describe(v)}`);
  }
  if (v[2] < 0 || v[3] < 0) throw new DataError(file, record, 'bbox', `width and height must be >= 0, got ${describe(v)}`);
  out[4 * k] = v[0];
  out[4 * k + 1] = v[1];
  out[4 * k + 2] = v[2];
  out[4 * k + 3] = v[3];
}

function readKeypoints(v: unknown, nk: number, out: Float64Array, k: number, file: string, record: string): void {
  if (!Array.isArray(v) || v.length !== 3 * nk) {
    throw new DataError(file, record, 'keypoints', `expected ${3 * nk} numbers (x, y, v for ${nk} keypoints), got ${Array.isArray(v) ? `${v.length} values` : describe(v)}`);
  }
  for (let j = 0; j < v.length; j++) {
    if (!isNum(v[j])) throw new DataError(file, record, `keypoints[${j}]`, `expected a finite number, got ${describe(v[j])}`);
    out[3 * nk * k + j] = v[j];
  }
}

/** Loads a COCO ground-truth object (the parsed JSON) for evaluating `iouType`. */
export function loadCocoGt(json: unknown, file: string, iouType: IouType): CocoGt {
  if (!isRecord(json)) throw new DataError(file, '(file)', '(top level)', `expected a COCO object with images, categories and annotations, got ${describe(json)}`);
  for (const key of ['images', 'categories', 'annotations']) {
    if (!Array.isArray(json[key])) throw new DataError(file, '(file)', key, `expected a list, got ${describe(json[key])}`);
  }
  const images = json.images as unknown[];
  const categories = json.categories as unknown[];
  const annotations = json.annotations as unknown[];

  // images
  const imgRecord = new Map<CocoId, Record<string, unknown>>();
  for (let j = 0; j < images.length; j++) {
    const im = images[j];
    const record = `images[${j}]`;
    if (!isRecord(im)) throw new DataError(file, record, '(record)', `expected an object, got ${describe(im)}`);
    const id = readId(im.id, file, record, 'id');
    if (imgRecord.has(id)) throw new DataError(file, record, 'id', `duplicate image id ${describe(id)}`);
    imgRecord.set(id, im);
  }
  const imgIds = sortIds([...imgRecord.keys()], file, 'images');
  const imgIndex = new Map<CocoId, number>();
  const imgHeight = new Float64Array(imgIds.length).fill(NaN);
  const imgWidth = new Float64Array(imgIds.length).fill(NaN);
  imgIds.forEach((id, i) => {
    imgIndex.set(id, i);
    const im = imgRecord.get(id)!;
    if (isNum(im.height)) imgHeight[i] = im.height;
    if (isNum(im.width)) imgWidth[i] = im.width;
  });

  // categories
  const catName = new Map<CocoId, string>();
  for (let j = 0; j < categories.length; j++) {
    const c = categories[j];
    const record = `categories[${j}]`;
    if (!isRecord(c)) throw new DataError(file, record, '(record)', `expected an object, got ${describe(c)}`);
    const id = readId(c.id, file, record, 'id');
    if (catName.has(id)) throw new DataError(file, record, 'id', `duplicate category id ${describe(id)}`);
    catName.set(id, typeof c.name === 'string' ? c.name : String(id));
  }
  const catIds = sortIds([...catName.keys()], file, 'categories');
  const catIndex = new Map<CocoId, number>();
  catIds.forEach((id, k) => catIndex.set(id, k));
  const catNames = catIds.map((id) => catName.get(id)!);

  // annotations
  const n = annotations.length;
  const nk = iouType === 'keypoints' ? COCO_KPT_OKS_SIGMAS.length : 0;
  const anns: GtTable = {
    n,
    index: new Int32Array(n),
    id: new Float64Array(n),
    img: new Int32Array(n),
    cat: new Int32Array(n),
    area: new Float64Array(n),
    iscrowd: new Uint8Array(n),
    ignore: new Uint8Array(n),
    bbox: iouType === 'segm' ? null : new Float64Array(4 * n),
    keypoints: iouType === 'keypoints' ? new Float64Array(3 * nk * n) : null,
    unreadable: iouType === 'keypoints' ? new Array<DataError | undefined>(n) : null,
    segmentation: iouType === 'segm' ? new Array<unknown>(n) : null,
  };
  for (let j = 0; j < n; j++) {
    const a = annotations[j];
    const record = `annotations[${j}]`;
    if (!isRecord(a)) throw new DataError(file, record, '(record)', `expected an object, got ${describe(a)}`);
    const rec = isNum(a.id) ? `${record} (id ${a.id})` : record;
    if (!isNum(a.id)) throw new DataError(file, record, 'id', `expected a number, got ${describe(a.id)}`);
    const img = imgIndex.get(a.image_id as CocoId);
    if (img === undefined) throw new DataError(file, rec, 'image_id', `${describe(a.image_id)} is not an id in images`);
    const cat = catIndex.get(a.category_id as CocoId);
    if (cat === undefined) throw new DataError(file, rec, 'category_id', `${describe(a.category_id)} is not an id in categories`);
    if (!isNum(a.area)) throw new DataError(file, rec, 'area', `expected a finite number, got ${describe(a.area)}`);
    const crowd = a.iscrowd;
    if (!(typeof crowd === 'boolean' || crowd === 0 || crowd === 1)) throw new DataError(file, rec, 'iscrowd', `expected 0 or 1, got ${describe(crowd)}`);
    anns.index[j] = j;
    anns.id[j] = a.id;
    anns.img[j] = img;
    anns.cat[j] = cat;
    anns.area[j] = a.area;
    anns.iscrowd[j] = crowd === true || crowd === 1 ? 1 : 0;
    let ignore = anns.iscrowd[j];
    if (anns.keypoints && anns.bbox && anns.unreadable) {
      if (a.num_keypoints === undefined) {
        throw new DataError(file, rec, 'num_keypoints', "missing: pycocotools' keypoint evaluation reads it for every annotation of every category of the ground truth (0 for one without labelled keypoints)");
      }
      if (!isNum(a.num_keypoints)) throw new DataError(file, rec, 'num_keypoints', `expected a number, got ${describe(a.num_keypoints)}`);
      if (a.num_keypoints === 0) ignore = 1;
      try {
        readKeypoints(a.keypoints, nk, anns.keypoints, j, file, rec);
        readBox(a.bbox, anns.bbox, j, file, rec);
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        anns.unreadable[j] = e;
      }
    } else if (anns.bbox) readBox(a.bbox, anns.bbox, j, file, rec);
    if (anns.segmentation) {
      if (a.segmentation === undefined) throw new DataError(file, rec, 'segmentation', 'missing (needed for segm evaluation)');
      anns.segmentation[j] = a.segmentation;
    }
    anns.ignore[j] = ignore;
  }
  return { file, imgIds, imgIndex, imgHeight, imgWidth, catIds, catNames, catIndex, numKeypoints: nk, anns };
}

/** Loads detection results (the parsed JSON list) against `gt`, as COCO.loadRes does (see the top of this file). */
export function loadCocoResults(json: unknown, gt: CocoGt, iouType: IouType, file: string): CocoDt {
  if (!Array.isArray(json)) throw new DataError(file, '(file)', '(top level)', `expected a list of results, got ${describe(json)}`);
  const n = json.length;
  const nk = COCO_KPT_OKS_SIGMAS.length;
  let branch: CocoDt['branch'] = 'bbox';
  if (n > 0) {
    const r0 = json[0];
    if (!isRecord(r0)) throw new DataError(file, 'results[0]', '(record)', `expected an object, got ${describe(r0)}`);
    if ('bbox' in r0 && !(Array.isArray(r0.bbox) && r0.bbox.length === 0)) branch = 'bbox';
    else if ('segmentation' in r0) branch = 'segm';
    else if ('keypoints' in r0) branch = 'keypoints';
    else throw new DataError(file, 'results[0]', '(record)', 'has none of bbox, segmentation, keypoints');
  }
  if (iouType === 'segm' && branch === 'keypoints') {
    throw new DataError(file, 'results[0]', 'segmentation', 'segm evaluation needs results with segmentation (or bbox)');
  }
  const dt: CocoDt = {
    file,
    n,
    branch,
    img: new Int32Array(n),
    cat: new Int32Array(n),
    score: new Float64Array(n),
    area: new Float64Array(n),
    bbox: new Float64Array(4 * n),
    keypoints: iouType === 'keypoints' ? new Float64Array(3 * nk * n) : null,
    segmentation: iouType === 'segm' ? new Array<unknown>(n) : null,
  };
  const scratch = new Float64Array(3 * nk);
  for (let j = 0; j < n; j++) {
    const r = json[j];
    const record = `results[${j}]`;
    if (!isRecord(r)) throw new DataError(file, record, '(record)', `expected an object, got ${describe(r)}`);
    const img = gt.imgIndex.get(r.image_id as CocoId);
    if (img === undefined) {
      throw new DataError(file, record, 'image_id', `${describe(r.image_id)} is not an image of the ground truth ${gt.file}`);
    }
    const cat = gt.catIndex.get(r.category_id as CocoId);
    if (cat === undefined) {
      throw new DataError(file, record, 'category_id', `${describe(r.category_id)} is not a category of the ground truth ${gt.file}`);
    }
    if (!isNum(r.score)) throw new DataError(file, record, 'score', `expected a finite number, got ${describe(r.score)}`);
    dt.img[j] = img;
    dt.cat[j] = cat;
    dt.score[j] = r.score;
    const ctx = { file, record, field: 'segmentation' };
    if (branch === 'bbox') {
      readBox(r.bbox, dt.bbox, j, file, record);
      dt.area[j] = dt.bbox[4 * j + 2] * dt.bbox[4 * j + 3];
      if (dt.segmentation) {
        if (r.segmentation === undefined) {
          const [x, y, w, h] = dt.bbox.subarray(4 * j, 4 * j + 4);
          const x1 = x, x2 = x + w, y1 = y, y2 = y + h;
          dt.segmentation[j] = [[x1, y1, x1, y2, x2, y2, x2, y1]];
        } else dt.segmentation[j] = r.segmentation;
      }
    } else if (branch === 'segm') {
      const hw = imageSize(gt, img, file, record);
      const rle = segmentationToRle(r.segmentation, hw[0], hw[1], ctx);
      dt.area[j] = rleArea(rle);
      if (r.bbox === undefined) dt.bbox.set(toBbox(rle), 4 * j);
      else readBox(r.bbox, dt.bbox, j, file, record);
      // keep the JSON, not the decoded runs: decoded again when evaluated (500k masks would not fit)
      if (dt.segmentation) dt.segmentation[j] = r.segmentation;
    } else {
      const [kp, at] = dt.keypoints ? [dt.keypoints, j] : [scratch, 0];
      readKeypoints(r.keypoints, nk, kp, at, file, record);
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (let q = 0; q < nk; q++) {
        const x = kp[3 * nk * at + 3 * q];
        const y = kp[3 * nk * at + 3 * q + 1];
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      dt.area[j] = (x1 - x0) * (y1 - y0);
      dt.bbox[4 * j] = x0;
      dt.bbox[4 * j + 1] = y0;
      dt.bbox[4 * j + 2] = x1 - x0;
      dt.bbox[4 * j + 3] = y1 - y0;
    }
    if (dt.keypoints && branch !== 'keypoints') readKeypoints(r.keypoints, nk, dt.keypoints, j, file, record);
  }
  return dt;
}

/** [height, width] of image index `img`, or an error when the ground truth lacks them. */
export function imageSize(gt: CocoGt, img: number, file: string, record: string): [number, number] {
  const h = gt.imgHeight[img];
  const w = gt.imgWidth[img];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 0 || w < 0) {
    throw new DataError(gt.file, `image ${describe(gt.imgIds[img])}`, 'height/width', `needed to read masks (for ${file}: ${record}), but missing or not integers`);
  }
  return [h, w];
}
