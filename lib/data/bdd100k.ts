// BDD100K instance segmentation: Scalabel JSON and RGBA bitmasks, reader and writer.
//
// Scalabel JSON: a list of frames or {frames: [...], config?, groups?}. A frame has a `name`
// (the image file, relative to the image folder), optional `size` {width, height} and `labels`;
// a label has `id`, `category`, `attributes` {crowd, occluded, truncated, ignored, ...} and
// its mask as `poly2d` (polygons of 'L'/'C' vertices, drawn as bdd100k draws them: see
// poly2d.ts) or `rle` {counts, size} (COCO compressed RLE). Following bdd100k's ins_seg
// conversion (label/to_scalabel.py with configs/ins_seg.toml, label/to_mask.py):
//  - categories are the 8 leaf classes pedestrian, rider, car, truck, bus, train, motorcycle,
//    bicycle with ids 1..8; `person`, `bike`, `motor`, `van`, `caravan` are renamed through the
//    config's name mapping, `other person`, `other vehicle`, `trailer` become pedestrian, car,
//    truck with `ignored` set (ignore mapping); any other category is a problem;
//  - when every label of a frame has a score (predictions), labels are drawn in increasing
//    score order; otherwise in file order;
//  - poly2d masks do not overlap: a later label paints over an earlier one (one canvas per frame);
//    every poly2d is filled as closed, as the ins_seg bitmask conversion does;
//  - Instance.id is the label's 1-based position in drawing order among the labels with a
//    mask, which is the instance id bdd100k writes into the bitmask;
//  - labels with neither poly2d nor rle (e.g. box2d only) are detection labels: they give no
//    Instance and stay in the frame record (Sample.source), which the writer writes back;
//  - a repeated label id within a frame is not a problem (bdd100k's own test frame has one;
//    its converters number instances by position), a repeated frame name is.
// The image size is the frame's `size`, else the spec's, else BDD100K's 1280 x 720.
// A label's `rle` is preferred over its `poly2d` when a label has both (bdd100k's to_rle output).
//
// Bitmasks: one RGBA PNG per image, named after it with .png for .jpg; R = category id,
// G = (truncated << 3) | (occluded << 2) | (crowd << 1) | ignored, B * 256 + A = instance id
// (bdd100k label/to_mask.py set_instance_color).
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeJsonAtomic } from './atomic.ts';
import { regionsFromIdMap } from './id-map.ts';
import { decodeImage, writeImage } from './image.ts';
import { decode, fromJson, toString } from './masks/index.ts';
import { fillOutline, poly2dOutline, type Point } from './poly2d.ts';
import { Problems, checkRelativePath, optionalFolder, readJsonFile, type ReadOptions } from './problems.ts';
import { DataError, type Category, type Dataset, type Instance, type Rle, type Sample } from './types.ts';

/** bdd100k configs/ins_seg.toml leaf categories, ids 1..8 in order. */
export const bddInsSegCategories: readonly Category[] = Object.freeze([
  { id: 1, name: 'pedestrian', supercategory: 'human' },
  { id: 2, name: 'rider', supercategory: 'human' },
  { id: 3, name: 'car', supercategory: 'vehicle' },
  { id: 4, name: 'truck', supercategory: 'vehicle' },
  { id: 5, name: 'bus', supercategory: 'vehicle' },
  { id: 6, name: 'train', supercategory: 'vehicle' },
  { id: 7, name: 'motorcycle', supercategory: 'bike' },
  { id: 8, name: 'bicycle', supercategory: 'bike' },
]);

/** bdd100k label/label.py: the 19 semantic-segmentation classes, id = trainId. */
export const bddSemSegCategories: readonly Category[] = Object.freeze(
  ['road', 'sidewalk', 'building', 'wall', 'fence', 'pole', 'traffic light', 'traffic sign', 'vegetation', 'terrain', 'sky', 'person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle'].map(
    (name, id) => ({ id, name }),
  ),
);

/** configs/ins_seg.toml [name_mapping]. */
export const bddNameMapping: Readonly<Record<string, string>> = Object.freeze({ bike: 'bicycle', caravan: 'car', motor: 'motorcycle', person: 'pedestrian', van: 'car' });
/** configs/ins_seg.toml [ignore_mapping]: these become the class and get `ignored`. */
export const bddIgnoreMapping: Readonly<Record<string, string>> = Object.freeze({ 'other person': 'pedestrian', 'other vehicle': 'car', trailer: 'truck' });

export const BDD_DEFAULT_SIZE = Object.freeze({ width: 1280, height: 720 });

export interface Bdd100kSpec {
  root: string;
  split: string;
  /** Scalabel JSON, relative to root or absolute. */
  annotations?: string;
  /** Folder of RGBA bitmask PNGs, relative to root. */
  bitmasks?: string;
  /** Image folder relative to root; frame names are relative to it ('' = root). */
  images?: string;
  /** Category set: 'ins_seg' (default, with bdd100k's name and ignore mappings) or 'sem_seg'. */
  categories?: 'ins_seg' | 'sem_seg';
  /** Image size for frames without `size` (default 1280 x 720). */
  imageSize?: { width: number; height: number };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
};

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

interface CategorySet {
  categories: readonly Category[];
  mapped: boolean;
}
const categorySet = (kind: 'ins_seg' | 'sem_seg' = 'ins_seg'): CategorySet => (kind === 'sem_seg' ? { categories: bddSemSegCategories, mapped: false } : { categories: bddInsSegCategories, mapped: true });

/** The category a Scalabel category name gives, and whether the ignore mapping applied. */
function resolveCategory(name: unknown, set: CategorySet): { cat: Category; ignored: boolean } {
  if (typeof name !== 'string') throw new FieldError('category', `expected a string, got ${short(name)}`);
  let n = name;
  if (set.mapped && bddNameMapping[n]) n = bddNameMapping[n];
  let cat = set.categories.find((c) => c.name === n);
  if (cat) return { cat, ignored: false };
  if (set.mapped && bddIgnoreMapping[n]) {
    cat = set.categories.find((c) => c.name === bddIgnoreMapping[n]);
    if (cat) return { cat, ignored: true };
  }
  throw new FieldError('category', `unknown category '${name}'`);
}

const attr = (label: Json, key: string): boolean => (isObj(label.attributes) ? Boolean(label.attributes[key]) : false);

interface Geometry {
  kind: 'poly2d' | 'rle';
  polys?: { vertices: Point[]; types: string }[];
  rle?: Rle;
}

/** Checks and reads a label's mask geometry; undefined for labels without one. */
function geometryOf(label: Json, h: number, w: number, file: string, record: string): Geometry | undefined {
  const hasRle = label.rle !== undefined && label.rle !== null;
  const hasPoly = label.poly2d !== undefined && label.poly2d !== null;
  if (hasRle) {
    const r = label.rle;
    if (isObj(r) && Array.isArray(r.size) && r.size.length === 2 && (r.size[0] !== h || r.size[1] !== w)) {
      throw new FieldError('rle.size', `RLE size [${short(r.size[0])}, ${short(r.size[1])}] disagrees with the image size [${h}, ${w}] (height, width)`);
    }
    return { kind: 'rle', rle: fromJson(r, h, w, { file, record, field: 'rle' }) };
  }
  if (!hasPoly) return undefined;
  const p = label.poly2d;
  if (!Array.isArray(p) || p.length === 0) throw new FieldError('poly2d', 'expected a non-empty list of polygons');
  const polys = p.map((poly, j) => {
    const f = `poly2d[${j}]`;
    if (!isObj(poly)) throw new FieldError(f, `expected {vertices, types, closed}, got ${short(poly)}`);
    const v = poly.vertices;
    if (!Array.isArray(v) || !v.every((q) => Array.isArray(q) && q.length === 2 && q.every(isFiniteNum))) throw new FieldError(`${f}.vertices`, 'expected a list of [x, y] points');
    if (v.length < 3) throw new FieldError(`${f}.vertices`, `polygon has ${v.length} points, needs at least 3`);
    const types = poly.types === undefined || poly.types === null ? 'L'.repeat(v.length) : poly.types;
    if (typeof types !== 'string' || !/^[LC]*$/.test(types)) throw new FieldError(`${f}.types`, `expected a string of 'L' and 'C', got ${short(poly.types)}`);
    if (types.length !== v.length) throw new FieldError(`${f}.types`, `${types.length} types for ${v.length} vertices`);
    try {
      poly2dOutline(v as Point[], types);
    } catch (e) {
      throw new FieldError(`${f}.types`, (e as Error).message);
    }
    return { vertices: v as Point[], types };
  });
  return { kind: 'poly2d', polys };
}

interface LabelMask {
  /** Index of the label in the frame's label list. */
  index: number;
  mask: Rle;
  area: number;
  bbox: [number, number, number, number];
}

/**
 * Masks of the labels with geometry, in drawing order: RLE labels as they are, poly2d labels
 * painted one after another on one canvas (a later label covers an earlier one).
 */
function frameMasks(items: { index: number; geom: Geometry }[], h: number, w: number): Map<number, LabelMask> {
  const out = new Map<number, LabelMask>();
  const polys = items.filter((it) => it.geom.kind === 'poly2d');
  if (polys.length > 0) {
    const canvas = new Int32Array(h * w);
    polys.forEach((it, k) => {
      for (const p of it.geom.polys!) fillOutline(canvas, w, h, poly2dOutline(p.vertices, p.types), k + 1);
    });
    for (const r of regionsFromIdMap(canvas, h, w)) {
      const it = polys[r.id - 1];
      out.set(it.index, { index: it.index, mask: r.mask, area: r.area, bbox: r.bbox });
    }
  }
  for (const it of items) {
    if (it.geom.kind !== 'rle') continue;
    const m = it.geom.rle!;
    out.set(it.index, { index: it.index, mask: m, ...rleStats(m) });
  }
  return out;
}

/** Pixel count and pycocotools box of an RLE, from its runs. */
function rleStats(m: Rle): { area: number; bbox: [number, number, number, number] } {
  let area = 0;
  let pos = 0;
  let x0 = Infinity;
  let x1 = -1;
  let y0 = Infinity;
  let y1 = -1;
  for (let k = 0; k < m.counts.length; k++) {
    const n = m.counts[k];
    if (k % 2 === 1 && n > 0) {
      area += n;
      const s = pos;
      const e = pos + n - 1;
      const cs = Math.floor(s / m.h);
      const ce = Math.floor(e / m.h);
      x0 = Math.min(x0, cs);
      x1 = Math.max(x1, ce);
      if (ce > cs) {
        y0 = 0;
        y1 = m.h - 1;
      } else {
        y0 = Math.min(y0, s % m.h);
        y1 = Math.max(y1, e % m.h);
      }
    }
    pos += n;
  }
  return area === 0 ? { area, bbox: [0, 0, 0, 0] } : { area, bbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1] };
}

/** Drawing order of a frame's labels: by increasing score when every label has one (stable), else file order. */
function drawingOrder(labels: unknown[]): number[] {
  const idx = labels.map((_, i) => i);
  const scored = labels.length > 0 && labels.every((l) => isObj(l) && isFiniteNum(l.score));
  if (scored) idx.sort((a, b) => ((labels[a] as Json).score as number) - ((labels[b] as Json).score as number) || a - b);
  return idx;
}

function labelRecord(frameName: string, label: unknown, i: number): string {
  const id = isObj(label) && (typeof label.id === 'string' || isFiniteNum(label.id)) ? String(label.id) : `#${i}`;
  return `frame ${frameName} label ${id}`;
}

export async function readBdd100k(spec: Bdd100kSpec, opts: ReadOptions = {}): Promise<Dataset> {
  const problems = new Problems(opts);
  const root = resolve(spec.root);
  const set = categorySet(spec.categories);
  const ds: Dataset = { format: 'bdd100k', root, split: spec.split, categories: set.categories.map((c) => ({ ...c })), samples: [] };
  const folder = optionalFolder(spec.images);
  if ('reason' in folder) {
    problems.report(root, 'dataset spec', 'images', folder.reason);
    return ds;
  }
  const images = folder.path;
  if ((spec.annotations === undefined) === (spec.bitmasks === undefined)) {
    problems.report(root, 'dataset spec', 'annotations', 'give exactly one of `annotations` (Scalabel JSON) and `bitmasks` (folder)');
    return ds;
  }
  const size = spec.imageSize ?? BDD_DEFAULT_SIZE;
  if (spec.annotations !== undefined) await readScalabel(ds, spec.annotations, images, size, set, problems);
  else await readBitmasks(ds, spec.bitmasks!, images, set, problems);
  return ds;
}

async function readScalabel(ds: Dataset, annotations: string, images: string, defaultSize: { width: number; height: number }, set: CategorySet, problems: Problems): Promise<void> {
  const file = isAbsolute(annotations) ? annotations : resolve(ds.root, annotations);
  const json = await readJsonFile(file, problems);
  if (json === undefined) return;
  let frames: unknown;
  if (Array.isArray(json)) {
    frames = json;
    ds.meta = { layout: 'list' };
  } else if (isObj(json) && Array.isArray(json.frames)) {
    const { frames: f, ...rest } = json;
    frames = f;
    ds.meta = { layout: 'object', ...rest };
  } else {
    problems.report(file, 'file', 'frames', 'expected a list of frames or an object with a `frames` list');
    return;
  }
  const names = new Set<string>();
  for (const [fi, frame] of (frames as unknown[]).entries()) {
    const fname = isObj(frame) && typeof frame.name === 'string' && frame.name ? frame.name : `#${fi}`;
    const record = `frame ${fname}`;
    if (!isObj(frame)) {
      problems.report(file, record, 'frames', `expected an object, got ${short(frame)}`);
      continue;
    }
    const rel = checkRelativePath(frame.name);
    if ('reason' in rel) {
      problems.report(file, record, 'name', rel.reason);
      continue;
    }
    const path = images ? posix.join(images, rel.path) : rel.path;
    const inRoot = checkRelativePath(path);
    if ('reason' in inRoot) {
      problems.report(file, record, 'name', inRoot.reason);
      continue;
    }
    if (names.has(frame.name as string)) {
      problems.report(file, record, 'name', 'duplicate frame name');
      continue;
    }
    names.add(frame.name as string);
    let width = defaultSize.width;
    let height = defaultSize.height;
    if (frame.size !== undefined && frame.size !== null) {
      const s = frame.size as Json;
      if (!isObj(s) || !Number.isInteger(s.width) || !Number.isInteger(s.height) || (s.width as number) <= 0 || (s.height as number) <= 0) {
        problems.report(file, record, 'size', `expected {width, height} of positive integers, got ${short(frame.size)}`);
        continue;
      }
      width = s.width as number;
      height = s.height as number;
    }
    if (frame.labels !== undefined && frame.labels !== null && !Array.isArray(frame.labels)) {
      problems.report(file, record, 'labels', 'expected a list or null');
      continue;
    }
    const labels = (frame.labels ?? []) as unknown[];
    const sample: Sample = { id: frame.name as string, file: inRoot.path, width, height, instances: [], source: frame };
    const items: { index: number; geom: Geometry; cat: Category; ignored: boolean }[] = [];
    for (const i of drawingOrder(labels)) {
      const label = labels[i];
      const lrec = labelRecord(fname, label, i);
      if (!isObj(label)) {
        problems.report(file, lrec, 'labels', `expected an object, got ${short(label)}`);
        continue;
      }
      try {
        const geom = geometryOf(label, height, width, file, lrec);
        if (!geom) continue; // a label without a mask (e.g. box2d): kept in the frame record only
        const { cat, ignored } = resolveCategory(label.category, set);
        items.push({ index: i, geom, cat, ignored });
      } catch (e) {
        if (e instanceof FieldError) problems.report(file, lrec, e.field, e.message);
        else if (e instanceof DataError) problems.add(e);
        else throw e;
      }
    }
    const masks = frameMasks(items, height, width);
    let next = 1;
    for (const it of items) {
      const label = labels[it.index] as Json;
      const m = masks.get(it.index);
      if (!m || m.area === 0) {
        problems.report(file, labelRecord(fname, label, it.index), it.geom.kind, `covers no pixel of the ${width}x${height} image`);
        continue;
      }
      sample.instances.push({
        id: next++,
        categoryId: it.cat.id,
        category: it.cat.name,
        mask: m.mask,
        bbox: m.bbox,
        iscrowd: attr(label, 'crowd'),
        ignore: attr(label, 'ignored') || it.ignored,
        area: m.area,
        source: label,
      });
    }
    ds.samples.push(sample);
  }
}

async function readBitmasks(ds: Dataset, bitmasks: string, images: string, set: CategorySet, problems: Problems): Promise<void> {
  const c = checkRelativePath(bitmasks);
  if ('reason' in c) {
    problems.report(ds.root, 'dataset spec', 'bitmasks', c.reason);
    return;
  }
  const dir = join(ds.root, c.path);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.png')).sort();
  } catch (e) {
    problems.report(dir, 'folder', 'bitmasks', (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder not found' : (e as Error).message);
    return;
  }
  for (const name of names) {
    const file = join(dir, name);
    const imageName = name.replace(/\.png$/i, '.jpg');
    const record = `bitmask ${name}`;
    const raw = await problems.guard(file, record, 'bitmask', () => decodeImage(file));
    if (!raw) continue;
    if (raw.channels !== 4) {
      problems.report(file, record, 'bitmask', `expected an RGBA PNG, got ${raw.channels} channels`);
      continue;
    }
    const { width: w, height: h, data } = raw;
    const ids = new Int32Array(w * h);
    const first = new Map<number, number>(); // instance id -> (R << 8) | G
    const bad = new Set<number>();
    let stray = 0;
    for (let p = 0; p < w * h; p++) {
      const r = data[4 * p];
      const g = data[4 * p + 1];
      const id = (data[4 * p + 2] << 8) | data[4 * p + 3];
      ids[p] = id;
      if (id === 0) {
        if (r !== 0) stray++;
        continue;
      }
      const rg = (r << 8) | g;
      const seen = first.get(id);
      if (seen === undefined) first.set(id, rg);
      else if (seen !== rg && !bad.has(id)) {
        bad.add(id);
        problems.report(file, `${record} instance ${id}`, 'bitmask', `pixels of one instance carry different category/attribute values (R, G) = (${seen >> 8}, ${seen & 255}) and (${r}, ${g})`);
      }
    }
    if (stray > 0) problems.report(file, record, 'bitmask', `${stray} pixels have a category (R > 0) but instance id 0`);
    const sample: Sample = {
      id: imageName,
      file: images ? posix.join(images, imageName) : imageName,
      width: w,
      height: h,
      instances: [],
      extraFiles: { bitmask: posix.join(c.path, name) },
    };
    for (const [id, rg] of first) {
      if (bad.has(id)) continue;
      const cat = set.categories.find((k) => k.id === rg >> 8);
      if (!cat) {
        bad.add(id);
        problems.report(file, `${record} instance ${id}`, 'category', `unknown category id ${rg >> 8}`);
      }
    }
    for (const r of regionsFromIdMap(ids, h, w, (v) => v !== 0 && !bad.has(v))) {
      const rg = first.get(r.id)!;
      const g = rg & 255;
      const cat = set.categories.find((k) => k.id === rg >> 8)!;
      const attributes = { truncated: Boolean(g & 8), occluded: Boolean(g & 4), crowd: Boolean(g & 2), ignored: Boolean(g & 1) };
      sample.instances.push({ id: r.id, categoryId: cat.id, category: cat.name, mask: r.mask, bbox: r.bbox, iscrowd: attributes.crowd, ignore: attributes.ignored, area: r.area, source: { attributes } });
    }
    ds.samples.push(sample);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface ScalabelWriteSpec {
  /** Output root; must not be the source dataset's root. */
  root: string;
  /** Scalabel JSON to write, relative to root or absolute. */
  annotations: string;
  /** Image folder relative to root: frame names are the sample files relative to it. */
  images?: string;
  indent?: number;
}

export interface BitmaskWriteSpec {
  root: string;
  /** Folder for the PNGs, relative to root. */
  bitmasks: string;
}

/** The BDD100K category of an instance of any dataset: its own for BDD100K, else by name. */
function bddCategory(ds: Dataset, inst: Instance, where: string): Category {
  if (ds.format === 'bdd100k') {
    const c = ds.categories.find((k) => k.id === inst.categoryId);
    if (c) return c;
    throw new Error(`${where}: category id ${inst.categoryId} is not in the dataset's categories`);
  }
  const name = bddNameMapping[inst.category] ?? inst.category;
  const c = bddInsSegCategories.find((k) => k.name === name);
  if (!c) throw new Error(`${where}: category '${inst.category}' has no BDD100K instance-segmentation class`);
  return c;
}

const sameRle = (p: Rle, q: Rle) => p.h === q.h && p.w === q.w && p.counts.length === q.counts.length && p.counts.every((c, i) => c === q.counts[i]);

const rleJson = (m: Rle) => ({ counts: toString(m), size: [m.h, m.w] });

/** The Scalabel frame of one sample (see writeScalabel). */
function frameJson(ds: Dataset, s: Sample, images: string): Json {
  const fromBdd = ds.format === 'bdd100k';
  const src = fromBdd && isObj(s.source) ? s.source : undefined;
  let name = s.file;
  if (images) {
    name = posix.relative(images, s.file);
    if (name.startsWith('..')) throw new Error(`sample ${s.id}: file '${s.file}' is not under the images folder '${images}'`);
  }
  const frame: Json = src ? { ...src, name } : { name };
  const hasSize = src && isObj(src.size);
  if (hasSize || s.width !== BDD_DEFAULT_SIZE.width || s.height !== BDD_DEFAULT_SIZE.height) frame.size = { width: s.width, height: s.height };
  const set = categorySet(fromBdd && isDeepStrictEqual(ds.categories, bddSemSegCategories) ? 'sem_seg' : 'ins_seg');

  // Labels: the source frame's labels in their order, each replaced by its instance's current
  // state (dropped when the instance is gone), detection-only labels kept; new instances last.
  const used = new Set<Instance>();
  const labels: Json[] = [];
  const owner: (Instance | undefined)[] = [];
  const srcLabels = src && Array.isArray(src.labels) ? (src.labels as unknown[]) : [];
  for (const l of srcLabels) {
    if (!isObj(l)) continue;
    const hasGeom = (l.poly2d !== undefined && l.poly2d !== null) || (l.rle !== undefined && l.rle !== null);
    const inst = hasGeom ? s.instances.find((i) => !used.has(i) && isDeepStrictEqual(i.source, l)) : undefined;
    if (hasGeom && !inst) continue;
    if (inst) used.add(inst);
    labels.push(inst ? updatedLabel(ds, inst, l, set, `sample ${s.id}`) : l);
    owner.push(inst);
  }
  for (const inst of s.instances) {
    if (used.has(inst)) continue;
    const cat = bddCategory(ds, inst, `sample ${s.id} instance ${inst.id}`);
    const attributes: Json = { crowd: inst.iscrowd };
    if (inst.ignore) attributes.ignored = true;
    labels.push({ id: String(inst.id), category: cat.name, attributes, rle: rleJson(inst.mask) });
    owner.push(inst);
  }
  // Geometry: keep a label's poly2d/rle while reading the frame back gives the instance's
  // mask; turn mismatching ones into RLE until all agree (a changed poly2d moves occlusion).
  for (;;) {
    const items = labels.flatMap((l, index) => {
      if (!owner[index]) return [];
      const geom = geometryOf(l, s.height, s.width, '', '');
      return geom ? [{ index, geom }] : [];
    });
    const order = drawingOrder(labels);
    items.sort((a, b) => order.indexOf(a.index) - order.indexOf(b.index));
    const masks = frameMasks(items, s.height, s.width);
    let changed = false;
    labels.forEach((l, index) => {
      const inst = owner[index];
      if (!inst) return;
      const m = masks.get(index);
      if (m && sameRle(m.mask, inst.mask)) return;
      const next: Json = { ...l, rle: rleJson(inst.mask) };
      delete next.poly2d;
      labels[index] = next;
      changed = true;
    });
    if (!changed) break;
  }
  if (src && (src.labels === null || src.labels === undefined) && labels.length === 0) frame.labels = src.labels;
  else frame.labels = labels;
  return frame;
}

/** A source label with the fields the instance changed replaced. */
function updatedLabel(ds: Dataset, inst: Instance, l: Json, set: CategorySet, where: string): Json {
  const out: Json = { ...l };
  let read: { cat: Category; ignored: boolean } | undefined;
  try {
    read = resolveCategory(l.category, set);
  } catch {
    read = undefined;
  }
  if (!read || read.cat.name !== inst.category) out.category = bddCategory(ds, inst, where).name;
  const ignoredNow = read?.ignored ?? false;
  const attrs: Json = isObj(l.attributes) ? { ...l.attributes } : {};
  let touched = false;
  if (attr(l, 'crowd') !== inst.iscrowd) {
    attrs.crowd = inst.iscrowd;
    touched = true;
  }
  if ((attr(l, 'ignored') || ignoredNow) !== inst.ignore) {
    attrs.ignored = inst.ignore;
    touched = true;
  }
  if (touched) out.attributes = attrs;
  return out;
}

/** The Scalabel JSON value for a Dataset (what writeScalabel writes). */
export function scalabelJson(ds: Dataset, opts: { images?: string } = {}): unknown {
  const folder = optionalFolder(opts.images);
  if ('reason' in folder) throw new Error(`images: ${folder.reason}`);
  const images = folder.path;
  const frames = ds.samples.map((s) => frameJson(ds, s, images));
  const meta = ds.format === 'bdd100k' ? ds.meta : undefined;
  if (meta?.layout === 'object') {
    const { layout: _layout, ...rest } = meta;
    return { frames, ...rest };
  }
  return frames;
}

function refuseSourceRoot(ds: Dataset, root: string, what: string): string {
  const out = resolve(root);
  if (out === resolve(ds.root)) throw new Error(`${what}: output root ${out} is the source dataset's root; the original dataset is never written`);
  return out;
}

/** Writes `ds` as Scalabel JSON (images are the caller's job), atomically. */
export async function writeScalabel(ds: Dataset, spec: ScalabelWriteSpec): Promise<string> {
  const root = refuseSourceRoot(ds, spec.root, 'writeScalabel');
  const file = isAbsolute(spec.annotations) ? spec.annotations : resolve(root, spec.annotations);
  await writeJsonAtomic(file, scalabelJson(ds, { images: spec.images }), spec.indent ?? 0);
  return file;
}

/** The bitmask file name of a sample: its image's base name with .jpg replaced by .png (bdd100k's rule). */
export function bitmaskName(s: Pick<Sample, 'id' | 'file'>): string {
  const base = posix.basename(s.file);
  return /\.jpg$/i.test(base) ? base.replace(/\.jpg$/i, '.png') : base.replace(/\.[^.]*$/, '') + '.png';
}

/**
 * Writes one RGBA bitmask per sample (atomically). Instances are painted in order, a later one
 * over an earlier one; the instance id is the Instance id when those are distinct in 1..65535
 * within the sample, else its 1-based position. G carries truncated/occluded from the source
 * record's attributes and the Instance's crowd and ignore flags.
 */
export async function writeBitmasks(ds: Dataset, spec: BitmaskWriteSpec): Promise<void> {
  const root = refuseSourceRoot(ds, spec.root, 'writeBitmasks');
  const c = checkRelativePath(spec.bitmasks);
  if ('reason' in c) throw new Error(`bitmasks: ${c.reason}`);
  const names = new Set<string>();
  for (const s of ds.samples) {
    const name = bitmaskName(s);
    if (names.has(name)) throw new Error(`sample ${s.id}: bitmask name ${name} is used by another sample`);
    names.add(name);
    const w = s.width;
    const h = s.height;
    const data = new Uint8Array(w * h * 4);
    const keep = s.instances.every((i) => Number.isInteger(i.id) && i.id >= 1 && i.id <= 65535) && new Set(s.instances.map((i) => i.id)).size === s.instances.length;
    s.instances.forEach((inst, k) => {
      const where = `sample ${s.id} instance ${inst.id}`;
      if (inst.mask.h !== h || inst.mask.w !== w) throw new Error(`${where}: mask is ${inst.mask.h}x${inst.mask.w}, image is ${h}x${w}`);
      const cat = bddCategory(ds, inst, where);
      if (cat.id < 1 || cat.id > 255) throw new Error(`${where}: category id ${cat.id} does not fit the R channel (1..255)`);
      const id = keep ? inst.id : k + 1;
      if (id > 65535) throw new Error(`${where}: more than 65535 instances`);
      const src = isObj(inst.source) ? inst.source : {};
      const g = (attr(src, 'truncated') ? 8 : 0) | (attr(src, 'occluded') ? 4 : 0) | (inst.iscrowd ? 2 : 0) | (inst.ignore ? 1 : 0);
      const m = decode(inst.mask);
      for (let p = 0; p < m.length; p++) {
        if (!m[p]) continue;
        data[4 * p] = cat.id;
        data[4 * p + 1] = g;
        data[4 * p + 2] = id >> 8;
        data[4 * p + 3] = id & 255;
      }
    });
    await writeImage(join(root, c.path, name), { width: w, height: h, channels: 4, data });
  }
}
