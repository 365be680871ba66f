// COCO instances / person_keypoints JSON: reader and writer.
//
// Masks follow pycocotools' annToRLE (polygons, uncompressed and compressed RLE) through
// lib/data/masks. The reader keeps each annotation object in `Instance.source`, each image
// object in `Sample.source`, and `info`, `licenses` and any other top-level keys in
// `Dataset.meta`, so that writeCoco reproduces the original records: a field is written back
// exactly as the source had it whenever the Instance still holds what reading it gave, and
// replaced by the Instance's value when it was changed. Our synthetic dataset adds a
// non-standard per-annotation `face_box` [x, y, w, h], read into `Instance.faceBox`.
// Annotations of a 'license plate' category are licence plates (`Sample.plates`), not instances,
// read from the annotation file and from the spec's `plates` file (coco-plates.ts); the writer
// writes them back when asked (`plates`), never into the ground truth an evaluation reads.
import { isAbsolute, posix, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeJsonAtomic } from './atomic.ts';
import { area as rleArea, frBbox, segmentationToRle, toBbox, toJson } from './masks/index.ts';
import { isPlateCategory, plateOf, readPlatesFile } from './coco-plates.ts';
import { PLATE_LABEL } from './plate.ts';
import { Problems, checkRelativePath, optionalFolder, readJsonFile, type ReadOptions } from './problems.ts';
import { DataError, type Box, type Category, type Dataset, type Instance, type Plate, type Rle, type Sample } from './types.ts';

export interface CocoSpec {
  /** Dataset root (images are found under it). */
  root: string;
  /** Annotation JSON, relative to root or absolute. */
  annotations: string;
  /** Folder of the images relative to root ('' = the root itself, e.g. 'val2017'). */
  images?: string;
  /** A second COCO JSON over the same images whose 'license plate' annotations are licence plates (relative to root or absolute). */
  plates?: string;
  /** Split name recorded in the Dataset (default: the annotation file's base name). */
  split?: string;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A problem with one field, thrown by the field parsers and turned into a DataError by the caller. */
class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

function parseBox(v: unknown, field: string): Box {
  if (!Array.isArray(v) || v.length !== 4 || !v.every(isFiniteNum)) throw new FieldError(field, `expected [x, y, width, height] of 4 finite numbers, got ${short(v)}`);
  if (v[2] < 0 || v[3] < 0) throw new FieldError(field, `negative width or height in ${short(v)}`);
  return [v[0], v[1], v[2], v[3]];
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** Checks the shape of a COCO segmentation before it is rasterized; returns nothing, throws FieldError. */
function checkSegmentation(seg: unknown, h: number, w: number): void {
  if (Array.isArray(seg)) {
    if (seg.length === 0) throw new FieldError('segmentation', 'empty polygon list');
    seg.forEach((poly, i) => {
      const f = `segmentation[${i}]`;
      if (!Array.isArray(poly)) throw new FieldError(f, `expected a polygon [x1, y1, x2, y2, ...], got ${short(poly)}`);
      if (!poly.every(isFiniteNum)) throw new FieldError(f, 'polygon coordinates must be finite numbers');
      if (poly.length % 2 !== 0) throw new FieldError(f, `odd number of coordinates (${poly.length})`);
      if (poly.length < 6) throw new FieldError(f, `polygon has ${poly.length / 2} points, needs at least 3`);
    });
    return;
  }
  if (isObj(seg)) {
    const size = seg.size;
    if (!Array.isArray(size) || size.length !== 2 || !size.every(isInt)) throw new FieldError('segmentation.size', `expected [height, width], got ${short(size)}`);
    if (size[0] !== h || size[1] !== w) throw new FieldError('segmentation.size', `RLE size [${size[0]}, ${size[1]}] disagrees with the image size [${h}, ${w}] (height, width)`);
    const c = seg.counts;
    if (typeof c === 'string') return;
    if (!Array.isArray(c) || !c.every((n) => isInt(n) && n >= 0)) throw new FieldError('segmentation.counts', 'expected a compressed RLE string or a list of non-negative integers');
    const total = (c as number[]).reduce((s, n) => s + n, 0);
    if (total !== h * w) throw new FieldError('segmentation.counts', `uncompressed RLE counts sum to ${total}, expected height*width = ${h * w}`);
    return;
  }
  throw new FieldError('segmentation', `expected a polygon list or an RLE object, got ${short(seg)}`);
}

/** The mask an annotation gives: its segmentation, or its box where it has none (box-only datasets). */
function maskOf(ann: Json, h: number, w: number, file: string, record: string): Rle {
  if (ann.segmentation === undefined || ann.segmentation === null) {
    const box = parseBox(ann.bbox, 'bbox');
    return frBbox(box, h, w);
  }
  checkSegmentation(ann.segmentation, h, w);
  return segmentationToRle(ann.segmentation as never, h, w, { file, record, field: 'segmentation' });
}

function parseIscrowd(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (v === 0 || v === false) return false;
  if (v === 1 || v === true) return true;
  throw new FieldError('iscrowd', `expected 0 or 1, got ${short(v)}`);
}

function parseIgnore(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (v === 0 || v === false) return false;
  if (v === 1 || v === true) return true;
  throw new FieldError('ignore', `expected 0 or 1, got ${short(v)}`);
}

function parseArea(v: unknown, mask: Rle): number {
  if (v === undefined || v === null) return rleArea(mask);
  if (!isFiniteNum(v) || v < 0) throw new FieldError('area', `expected a non-negative number, got ${short(v)}`);
  return v;
}

function parseBbox(v: unknown, mask: Rle): Box {
  if (v === undefined || v === null) return toBbox(mask);
  return parseBox(v, 'bbox');
}

function parseKeypoints(v: unknown, cat: Category): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every(isFiniteNum)) throw new FieldError('keypoints', 'expected a list of numbers [x1, y1, v1, ...]');
  if (v.length % 3 !== 0) throw new FieldError('keypoints', `length ${v.length} is not a multiple of 3`);
  if (cat.keypoints && v.length !== 3 * cat.keypoints.length) {
    throw new FieldError('keypoints', `has ${v.length / 3} keypoints, category '${cat.name}' defines ${cat.keypoints.length}`);
  }
  for (let i = 2; i < v.length; i += 3) {
    if (v[i] !== 0 && v[i] !== 1 && v[i] !== 2) throw new FieldError('keypoints', `visibility of keypoint ${i / 3} is ${v[i]}, expected 0, 1 or 2`);
  }
  return v.slice();
}

function parseNumKeypoints(v: unknown, kps: number[] | undefined): number | undefined {
  if (v === undefined || v === null) {
    if (!kps) return undefined;
    let n = 0;
    for (let i = 2; i < kps.length; i += 3) if (kps[i] > 0) n++;
    return n;
  }
  if (!isInt(v) || v < 0) throw new FieldError('num_keypoints', `expected a non-negative integer, got ${short(v)}`);
  return v;
}

function parseFaceBox(v: unknown): Box | undefined {
  if (v === undefined || v === null) return undefined;
  return parseBox(v, 'face_box');
}

function parseCategory(c: unknown, i: number, file: string, problems: Problems): Category | undefined {
  const record = isObj(c) && isInt(c.id) ? `category id ${c.id}` : `category #${i}`;
  if (!isObj(c)) return void problems.report(file, record, 'categories', `expected an object, got ${short(c)}`);
  if (!isInt(c.id)) return void problems.report(file, record, 'id', `expected an integer, got ${short(c.id)}`);
  if (typeof c.name !== 'string' || c.name === '') return void problems.report(file, record, 'name', `expected a non-empty string, got ${short(c.name)}`);
  const cat: Category = { id: c.id, name: c.name };
  if (c.supercategory !== undefined) {
    if (typeof c.supercategory !== 'string') return void problems.report(file, record, 'supercategory', `expected a string, got ${short(c.supercategory)}`);
    cat.supercategory = c.supercategory;
  }
  if (c.keypoints !== undefined) {
    if (!Array.isArray(c.keypoints) || !c.keypoints.every((k) => typeof k === 'string')) return void problems.report(file, record, 'keypoints', 'expected a list of keypoint names');
    cat.keypoints = c.keypoints.slice() as string[];
  }
  if (c.skeleton !== undefined) {
    const n = cat.keypoints?.length ?? Infinity;
    const ok = Array.isArray(c.skeleton) && c.skeleton.every((e) => Array.isArray(e) && e.length === 2 && e.every((k) => isInt(k) && k >= 1 && k <= n));
    if (!ok) return void problems.report(file, record, 'skeleton', 'expected a list of [a, b] pairs of 1-based keypoint indices');
    cat.skeleton = (c.skeleton as [number, number][]).map(([a, b]) => [a, b]);
  }
  return cat;
}

function imageRecordName(im: unknown, i: number): string {
  if (isObj(im) && typeof im.file_name === 'string' && im.file_name) return `image ${im.file_name}`;
  if (isObj(im) && im.id !== undefined) return `image id ${short(im.id)}`;
  return `image #${i}`;
}

function annRecordName(a: unknown, i: number): string {
  if (isObj(a) && (isInt(a.id) || typeof a.id === 'string')) return `annotation id ${a.id}`;
  return `annotation #${i}`;
}

export async function readCoco(spec: CocoSpec, opts: ReadOptions = {}): Promise<Dataset> {
  const problems = new Problems(opts);
  const root = resolve(spec.root);
  const annFile = isAbsolute(spec.annotations) ? spec.annotations : resolve(root, spec.annotations);
  const split = spec.split ?? posix.basename(annFile.replace(/\\/g, '/')).replace(/\.json$/i, '');
  const ds: Dataset = { format: 'coco', root, split, categories: [], samples: [] };
  const folder = optionalFolder(spec.images);
  if ('reason' in folder) {
    problems.report(annFile, 'dataset spec', 'images', folder.reason);
    return ds;
  }
  const imagesDir = folder.path;

  const json = await readJsonFile(annFile, problems);
  if (json === undefined) return ds;
  if (!isObj(json)) {
    const hint = Array.isArray(json) ? ' (a JSON list: COCO results such as detections, not a dataset)' : '';
    problems.report(annFile, 'file', 'json', `expected an object with images, annotations and categories${hint}`);
    return ds;
  }
  const { images, annotations, categories, ...rest } = json;
  if (Object.keys(rest).length > 0) ds.meta = rest;

  // Categories.
  const cats = new Map<number, Category>();
  if (!Array.isArray(categories)) problems.report(annFile, 'file', 'categories', 'missing or not a list');
  else {
    categories.forEach((c, i) => {
      const cat = parseCategory(c, i, annFile, problems);
      if (!cat) return;
      if (cats.has(cat.id)) return problems.report(annFile, `category id ${cat.id}`, 'id', 'duplicate category id');
      cats.set(cat.id, cat);
      if (!isPlateCategory(cat)) ds.categories.push(cat);
      else if (ds.plateCategory) problems.report(annFile, `category id ${cat.id}`, 'name', `a second '${PLATE_LABEL}' category (the first has id ${ds.plateCategory.id})`);
      else ds.plateCategory = cat;
    });
  }

  // Images.
  const samples = new Map<number, Sample>();
  const badImages = new Set<unknown>();
  const files = new Map<string, number>();
  if (!Array.isArray(images)) problems.report(annFile, 'file', 'images', 'missing or not a list');
  else {
    images.forEach((im, i) => {
      const record = imageRecordName(im, i);
      if (!isObj(im)) return problems.report(annFile, record, 'images', `expected an object, got ${short(im)}`);
      const bad = (field: string, msg: string) => {
        badImages.add(im.id);
        problems.report(annFile, record, field, msg);
      };
      if (!isInt(im.id)) return bad('id', `expected an integer, got ${short(im.id)}`);
      if (samples.has(im.id)) return problems.report(annFile, record, 'id', `duplicate image id ${im.id}`);
      const rel = checkRelativePath(im.file_name);
      if ('reason' in rel) return bad('file_name', rel.reason);
      const file = imagesDir ? posix.join(imagesDir, rel.path) : rel.path;
      const inRoot = checkRelativePath(file);
      if ('reason' in inRoot) return bad('file_name', inRoot.reason);
      if (!isInt(im.width) || im.width <= 0) return bad('width', `expected a positive integer, got ${short(im.width)}`);
      if (!isInt(im.height) || im.height <= 0) return bad('height', `expected a positive integer, got ${short(im.height)}`);
      const other = files.get(inRoot.path);
      if (other !== undefined) return bad('file_name', `same file as image id ${other}`);
      files.set(inRoot.path, im.id);
      const s: Sample = { id: String(im.id), file: inRoot.path, width: im.width, height: im.height, instances: [], source: im };
      samples.set(im.id, s);
      ds.samples.push(s);
    });
  }

  // Annotations.
  const annIds = new Set<number>();
  if (!Array.isArray(annotations)) problems.report(annFile, 'file', 'annotations', 'missing or not a list');
  else {
    for (let i = 0; i < annotations.length; i++) {
      const a = annotations[i];
      const record = annRecordName(a, i);
      if (!isObj(a)) {
        problems.report(annFile, record, 'annotations', `expected an object, got ${short(a)}`);
        continue;
      }
      if (!isInt(a.id)) {
        problems.report(annFile, record, 'id', `expected an integer, got ${short(a.id)}`);
        continue;
      }
      if (annIds.has(a.id)) {
        problems.report(annFile, record, 'id', 'duplicate annotation id');
        continue;
      }
      annIds.add(a.id);
      const sample = isInt(a.image_id) ? samples.get(a.image_id) : undefined;
      if (!sample) {
        // An annotation of an image already reported as bad is skipped without a second report.
        if (!badImages.has(a.image_id)) problems.report(annFile, record, 'image_id', `no image with id ${short(a.image_id)}`);
        continue;
      }
      const cat = isInt(a.category_id) ? cats.get(a.category_id) : undefined;
      if (!cat) {
        problems.report(annFile, record, 'category_id', `unknown category ${short(a.category_id)}`);
        continue;
      }
      if (isPlateCategory(cat)) {
        const plate = await problems.guard(annFile, record, 'bbox', () => plateOf(a, sample, annFile, record));
        if (plate) (sample.plates ??= []).push(plate);
        continue;
      }
      const inst = await problems.guard(annFile, record, 'segmentation', () => {
        try {
          return instanceOf(a, cat, sample, annFile, record);
        } catch (e) {
          if (e instanceof FieldError) throw new DataError(annFile, record, e.field, e.message);
          throw e;
        }
      });
      if (inst) sample.instances.push(inst);
    }
  }
  if (spec.plates !== undefined) {
    const platesFile = isAbsolute(spec.plates) ? spec.plates : resolve(root, spec.plates);
    if (platesFile !== annFile) await readPlatesFile(platesFile, ds, samples, annIds, problems);
  }
  return ds;
}

function instanceOf(a: Json, cat: Category, sample: Sample, file: string, record: string): Instance {
  const mask = maskOf(a, sample.height, sample.width, file, record);
  const keypoints = parseKeypoints(a.keypoints, cat);
  const numKeypoints = parseNumKeypoints(a.num_keypoints, keypoints);
  const faceBox = parseFaceBox(a.face_box);
  const inst: Instance = {
    id: a.id as number,
    categoryId: cat.id,
    category: cat.name,
    mask,
    bbox: parseBbox(a.bbox, mask),
    iscrowd: parseIscrowd(a.iscrowd),
    ignore: parseIgnore(a.ignore),
    area: parseArea(a.area, mask),
  };
  if (keypoints) inst.keypoints = keypoints;
  if (numKeypoints !== undefined) inst.numKeypoints = numKeypoints;
  if (faceBox) inst.faceBox = faceBox;
  inst.source = a;
  return inst;
}

// ---------------------------------------------------------------------------------------------
// Writer

export interface CocoWriteSpec {
  /** Output dataset root; must not be the source dataset's root. */
  root: string;
  /** Annotation JSON to write, relative to `root` or absolute. */
  annotations: string;
  /** Folder of the images relative to root: `file_name` is each sample's file relative to it. */
  images?: string;
  /** JSON indentation (default 0: compact). */
  indent?: number;
  /** Write the licence plates as 'license plate' annotations (default true). */
  plates?: boolean;
}

const sameRle = (p: Rle, q: Rle) => p.h === q.h && p.w === q.w && p.counts.length === q.counts.length && p.counts.every((c, i) => c === q.counts[i]);

/**
 * The COCO JSON object for a Dataset (what writeCoco writes). Licence plates are written, as
 * annotations of a 'license plate' category, only with `plates: true`: without it the JSON is a
 * ground truth an evaluation can read (predict.ts writes one), where a plate category would count.
 */
export function cocoJson(ds: Dataset, opts: { images?: string; plates?: boolean } = {}): Json {
  const imagesDir = opts.images && opts.images !== '.' ? posix.normalize(opts.images.replace(/\\/g, '/')).replace(/\/$/, '') : '';
  const fromCoco = ds.format === 'coco';
  const meta = ds.meta ?? {};
  const out: Json = {};
  if (fromCoco) Object.assign(out, meta);
  else {
    if (meta.info !== undefined) out.info = meta.info;
    if (meta.licenses !== undefined) out.licenses = meta.licenses;
  }

  out.categories = ds.categories.map((c) => {
    if (!Number.isInteger(c.id)) throw new Error(`category '${c.name}': COCO category ids are integers, got ${c.id}`);
    const r: Json = { id: c.id, name: c.name };
    if (c.supercategory !== undefined) r.supercategory = c.supercategory;
    if (c.keypoints !== undefined) r.keypoints = c.keypoints.slice();
    if (c.skeleton !== undefined) r.skeleton = c.skeleton.map((e) => e.slice());
    return r;
  });
  const withPlates = opts.plates === true && ds.samples.some((s) => (s.plates?.length ?? 0) > 0);
  const plateCat = withPlates ? (ds.plateCategory ?? { id: Math.max(0, ...ds.categories.map((c) => c.id)) + 1, name: PLATE_LABEL }) : undefined;
  if (plateCat) (out.categories as Json[]).push({ id: plateCat.id, name: plateCat.name, ...(plateCat.supercategory !== undefined ? { supercategory: plateCat.supercategory } : {}) });

  // Image ids: the sample ids when they are all distinct integers, else 1..N in order.
  const asInt = ds.samples.map((s) => (/^-?\d+$/.test(s.id) ? Number(s.id) : NaN));
  const keepImageIds = asInt.every(Number.isSafeInteger) && new Set(asInt).size === asInt.length;
  // Annotation ids: the instance ids when they are distinct integers over the dataset, else 1..N.
  const allIds = ds.samples.flatMap((s) => [...s.instances.map((i) => i.id), ...(plateCat ? (s.plates ?? []).map((p) => p.id) : [])]);
  const keepAnnIds = allIds.every((id) => Number.isSafeInteger(id)) && new Set(allIds).size === allIds.length;

  const images: Json[] = [];
  const annotations: Json[] = [];
  let nextAnn = 1;
  ds.samples.forEach((s, si) => {
    const imageId = keepImageIds ? asInt[si] : si + 1;
    let fileName = s.file;
    if (imagesDir) {
      fileName = posix.relative(imagesDir, s.file);
      if (fileName.startsWith('..') || posix.isAbsolute(fileName)) throw new Error(`sample ${s.id}: file '${s.file}' is not under the images folder '${imagesDir}'`);
    }
    const src = fromCoco && isObj(s.source) ? s.source : {};
    images.push({ ...src, id: imageId, file_name: fileName, width: s.width, height: s.height });
    for (const inst of s.instances) {
      const annId = keepAnnIds ? inst.id : nextAnn++;
      annotations.push(annotationJson(inst, imageId, annId, s, fromCoco && isObj(inst.source) ? inst.source : undefined));
    }
  });
  // plates after every instance, so that renumbered instance ids do not depend on them
  if (plateCat) {
    ds.samples.forEach((s, si) => {
      for (const p of s.plates ?? []) annotations.push(plateJson(p, keepImageIds ? asInt[si] : si + 1, keepAnnIds ? p.id : nextAnn++, plateCat.id, s, fromCoco && isObj(p.source) ? p.source : undefined));
    });
  }
  out.images = images;
  out.annotations = annotations;
  return out;
}

/**
 * One annotation. With a COCO source record, each field stays as the source wrote it when
 * the Instance still holds what reading that field gives; a changed field is replaced.
 */
function annotationJson(inst: Instance, imageId: number, annId: number, s: Sample, src: Json | undefined): Json {
  const h = s.height;
  const w = s.width;
  if (inst.mask.h !== h || inst.mask.w !== w) throw new Error(`sample ${s.id}: instance ${inst.id}: mask is ${inst.mask.h}x${inst.mask.w}, image is ${h}x${w}`);
  if (!src) {
    const r: Json = {
      id: annId,
      image_id: imageId,
      category_id: inst.categoryId,
      segmentation: toJson(inst.mask),
      area: inst.area,
      bbox: inst.bbox.slice(),
      iscrowd: inst.iscrowd ? 1 : 0,
    };
    if (inst.ignore) r.ignore = 1;
    if (inst.keypoints) r.keypoints = inst.keypoints.slice();
    if (inst.numKeypoints !== undefined) r.num_keypoints = inst.numKeypoints;
    if (inst.faceBox) r.face_box = inst.faceBox.slice();
    return r;
  }
  const r: Json = { ...src, id: annId, image_id: imageId, category_id: inst.categoryId };
  const set = (key: string, value: unknown) => {
    if (value === undefined) delete r[key];
    else r[key] = value;
  };
  const failed = Symbol('failed');
  const attempt = <T>(f: () => T): T | typeof failed => {
    try {
      return f();
    } catch {
      return failed;
    }
  };
  const srcMask = attempt(() => maskOf(src, h, w, '', ''));
  if (srcMask === failed || !sameRle(srcMask, inst.mask)) r.segmentation = toJson(inst.mask);
  const mask = inst.mask;
  if (!isDeepStrictEqual(attempt(() => parseBbox(src.bbox, mask)), inst.bbox)) r.bbox = inst.bbox.slice();
  if (attempt(() => parseArea(src.area, mask)) !== inst.area) r.area = inst.area;
  if (attempt(() => parseIscrowd(src.iscrowd)) !== inst.iscrowd) r.iscrowd = typeof src.iscrowd === 'boolean' ? inst.iscrowd : inst.iscrowd ? 1 : 0;
  if (attempt(() => parseIgnore(src.ignore)) !== inst.ignore) r.ignore = typeof src.ignore === 'boolean' ? inst.ignore : inst.ignore ? 1 : 0;
  const kps = attempt(() => parseKeypoints(src.keypoints, { id: inst.categoryId, name: inst.category }));
  if (!isDeepStrictEqual(kps, inst.keypoints)) set('keypoints', inst.keypoints?.slice());
  const kpsNow = inst.keypoints;
  if (attempt(() => parseNumKeypoints(src.num_keypoints, kpsNow)) !== inst.numKeypoints) set('num_keypoints', inst.numKeypoints);
  if (!isDeepStrictEqual(attempt(() => parseFaceBox(src.face_box)), inst.faceBox)) set('face_box', inst.faceBox?.slice());
  return r;
}

/**
 * One plate annotation: the source's record, with a bbox of the plate's box when reading the record
 * gives another box; without a source, bbox, area, the box's RLE and iscrowd 0.
 */
function plateJson(p: Plate, imageId: number, annId: number, categoryId: number, s: Sample, src: Json | undefined): Json {
  if (src) {
    const r: Json = { ...src, id: annId, image_id: imageId, category_id: categoryId };
    let read: Box | undefined;
    try {
      read = plateOf(src, s, '', '').box;
    } catch {
      read = undefined;
    }
    if (!isDeepStrictEqual(read, p.box)) r.bbox = p.box.slice();
    return r;
  }
  return { id: annId, image_id: imageId, category_id: categoryId, segmentation: toJson(frBbox(p.box, s.height, s.width)), area: p.box[2] * p.box[3], bbox: p.box.slice(), iscrowd: 0 };
}

/** Writes the annotation JSON of `ds` (images are the caller's job), atomically. */
export async function writeCoco(ds: Dataset, spec: CocoWriteSpec): Promise<string> {
  const root = resolve(spec.root);
  if (root === resolve(ds.root)) throw new Error(`writeCoco: output root ${root} is the source dataset's root; the original dataset is never written`);
  const file = isAbsolute(spec.annotations) ? spec.annotations : resolve(root, spec.annotations);
  await writeJsonAtomic(file, cocoJson(ds, { images: spec.images, plates: spec.plates ?? true }), spec.indent ?? 0);
  return file;
}
