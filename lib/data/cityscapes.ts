// Cityscapes (gtFine) reader and writer.
//
// Layout: leftImg8bit/<split>/<city>/<city>_<seq>_<frame>_leftImg8bit.png with its labels in
// gtFine/<split>/<city>/<city>_<seq>_<frame>_gtFine_{labelIds,instanceIds,labelTrainIds,color}.png
// and _gtFine_polygons.json. Instances follow cityscapesScripts' instance evaluation: in the
// 16-bit instanceIds image a value v >= 1000 is one instance of label v // 1000; a value
// v < 1000 is a plain label id, and for a label with hasInstances it marks a group region
// ('cargroup'), which becomes one crowd Instance per label. Only hasInstances labels give
// Instances; `ignore` is the label's ignoreInEval.
//
// Polygons: the instanceIds image is authoritative (it is what the official evaluation reads).
// Only when it is absent are instances built from _gtFine_polygons.json, the way
// cityscapesScripts' json2instanceImg builds instanceIds: objects are drawn in file order (later
// ones occlude earlier ones, whatever their label), a hasInstances label gets id*1000+n with n
// counting its non-group objects, a group or a label without instances gets its label id,
// 'deleted' objects and labels with id < 0 are skipped. Polygons are rasterized with COCO's
// frPoly rule, not PIL's, so such masks can differ from a PIL-drawn instanceIds image along
// the outline by a pixel.
//
// Licence plates: the 'license plate' objects of _gtFine_polygons.json, whenever a sample has
// one (cityscapes-polygons.ts), go to `Sample.plates`; they are no instance (id -1: no label image
// holds them, and the benchmark does not evaluate them).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from './atomic.ts';
import { cityscapesLabels, labelById, resolvePolygonLabel, type CityscapesLabel } from './cityscapes-labels.ts';
import { isPointList, platesFromPolygons, readPolygonsFile, type PolygonsFile } from './cityscapes-polygons.ts';
import { regionsFromIdMap } from './id-map.ts';
import { decodeImage16, imageSize, writeImage, writeImage16, type Image, type Image16 } from './image.ts';
import { frPoly } from './masks/index.ts';
import { Problems, checkRelativePath, type ReadOptions } from './problems.ts';
import { DataError, type Category, type Dataset, type Instance, type Sample } from './types.ts';

export interface CityscapesSpec {
  root: string;
  /** Split name recorded in the Dataset ('train', 'val', 'test'). */
  split: string;
  /** Folder under leftImg8bit/ and gtFine/ (default: `split`). */
  folder?: string;
}

/** Kinds of gtFine files a sample can have, and their file-name suffixes. */
export const gtFineKinds = {
  labelIds: '_gtFine_labelIds.png',
  instanceIds: '_gtFine_instanceIds.png',
  labelTrainIds: '_gtFine_labelTrainIds.png',
  color: '_gtFine_color.png',
  polygons: '_gtFine_polygons.json',
} as const;
export type GtFineKind = keyof typeof gtFineKinds;

const SAMPLE_ID = /^(.+)_(\d+)_(\d+)$/;
const IMAGE_SUFFIX = '_leftImg8bit.png';

/** The city of a sample id `<city>_<seq>_<frame>`, or undefined when the id has another form. */
export function cityOf(sampleId: string): string | undefined {
  return SAMPLE_ID.exec(sampleId)?.[1];
}

/** Dataset-relative paths of a sample's image and gtFine files (forward slashes). */
export function cityscapesPaths(folder: string, sampleId: string): { image: string } & Record<GtFineKind, string> {
  const city = cityOf(sampleId);
  if (!city) throw new Error(`'${sampleId}' is not a Cityscapes sample id <city>_<seq>_<frame>`);
  const gt = `gtFine/${folder}/${city}/${sampleId}`;
  return {
    image: `leftImg8bit/${folder}/${city}/${sampleId}${IMAGE_SUFFIX}`,
    labelIds: gt + gtFineKinds.labelIds,
    instanceIds: gt + gtFineKinds.instanceIds,
    labelTrainIds: gt + gtFineKinds.labelTrainIds,
    color: gt + gtFineKinds.color,
    polygons: gt + gtFineKinds.polygons,
  };
}

/** The categories a Cityscapes Dataset carries: the labels with instances, in table order. */
export function cityscapesCategories(): Category[] {
  return cityscapesLabels.filter((l) => l.hasInstances).map((l) => ({ id: l.id, name: l.name, supercategory: l.category }));
}

async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function readCityscapes(spec: CityscapesSpec, opts: ReadOptions = {}): Promise<Dataset> {
  const problems = new Problems(opts);
  const root = resolve(spec.root);
  const folder = spec.folder ?? spec.split;
  const ds: Dataset = { format: 'cityscapes', root, split: spec.split, categories: cityscapesCategories(), samples: [] };
  const f = checkRelativePath(folder);
  if ('reason' in f || f.path.includes('/')) {
    problems.report(root, 'dataset spec', 'folder', 'reason' in f ? f.reason : `'${folder}' must be a single folder name`);
    return ds;
  }
  const imgDir = join(root, 'leftImg8bit', folder);
  const gtDir = join(root, 'gtFine', folder);
  const cities = await listDir(imgDir);
  if (!cities) {
    problems.report(imgDir, 'split', 'leftImg8bit', 'folder not found');
    return ds;
  }
  for (const city of cities) {
    const names = await listDir(join(imgDir, city));
    if (!names) continue; // a file, not a city folder
    const ids = new Set<string>();
    for (const name of names) {
      if (!name.endsWith(IMAGE_SUFFIX)) continue;
      const id = name.slice(0, -IMAGE_SUFFIX.length);
      const imagePath = `leftImg8bit/${folder}/${city}/${name}`;
      if (cityOf(id) !== city) {
        problems.report(join(root, imagePath), `image ${name}`, 'file_name', `expected <city>_<seq>_<frame>${IMAGE_SUFFIX} with city '${city}'`);
        continue;
      }
      ids.add(id);
      const sample = await readSample(root, folder, id, problems);
      if (sample) ds.samples.push(sample);
    }
    // Label files with no image.
    const gtNames = (await listDir(join(gtDir, city))) ?? [];
    const orphans = new Set<string>();
    for (const name of gtNames) {
      const kind = (Object.values(gtFineKinds) as string[]).find((s) => name.endsWith(s));
      if (!kind) continue;
      const id = name.slice(0, -kind.length);
      if (!ids.has(id)) orphans.add(id);
    }
    for (const id of orphans) problems.report(join(gtDir, city), `image ${id}${IMAGE_SUFFIX}`, 'leftImg8bit', 'gtFine label files without an image');
  }
  // gtFine cities with no image folder at all.
  for (const city of (await listDir(gtDir)) ?? []) {
    if (!cities.includes(city) && (await listDir(join(gtDir, city)))) problems.report(join(gtDir, city), `city ${city}`, 'leftImg8bit', 'gtFine city folder without images');
  }
  return ds;
}

async function readSample(root: string, folder: string, id: string, problems: Problems): Promise<Sample | undefined> {
  const paths = cityscapesPaths(folder, id);
  const record = `image ${id}${IMAGE_SUFFIX}`;
  const imageFile = join(root, paths.image);
  const size = await problems.guard(imageFile, record, 'leftImg8bit', () => imageSize(imageFile));
  if (!size) return undefined;
  const extraFiles: Record<string, string> = {};
  for (const kind of Object.keys(gtFineKinds) as GtFineKind[]) {
    if (await isFile(join(root, paths[kind]))) extraFiles[kind] = paths[kind];
  }
  if (!extraFiles.instanceIds && !extraFiles.polygons) {
    problems.report(join(root, paths.instanceIds), record, 'gtFine', `missing label files: neither ${id}${gtFineKinds.instanceIds} nor ${id}${gtFineKinds.polygons}`);
    return undefined;
  }
  // Every label image must have the image's size (header only; pixels are read where needed).
  for (const kind of ['labelIds', 'labelTrainIds', 'color'] as const) {
    if (!extraFiles[kind]) continue;
    const file = join(root, extraFiles[kind]);
    const s = await problems.guard(file, record, kind, () => imageSize(file));
    if (!s) return undefined;
    if (s.width !== size.width || s.height !== size.height) {
      problems.report(file, record, kind, `size ${s.width}x${s.height} differs from the image's ${size.width}x${size.height}`);
      return undefined;
    }
  }
  const sample: Sample = { id, file: paths.image, width: size.width, height: size.height, instances: [], extraFiles };
  let polygons: PolygonsFile | undefined;
  if (extraFiles.polygons) {
    polygons = await readPolygonsFile(join(root, extraFiles.polygons), record, size.height, size.width, problems);
    if (!polygons) return undefined;
  }
  let instances: Instance[] | undefined;
  if (extraFiles.instanceIds) {
    const file = join(root, extraFiles.instanceIds);
    const img = await problems.guard(file, record, 'instanceIds', () => decodeImage16(file));
    if (!img) return undefined;
    if (img.width !== size.width || img.height !== size.height) {
      problems.report(file, record, 'instanceIds', `size ${img.width}x${img.height} differs from the image's ${size.width}x${size.height}`);
      return undefined;
    }
    instances = instancesFromIds(img.data, img.height, img.width, file, record, problems);
  } else {
    const file = join(root, extraFiles.polygons);
    instances = await problems.guard(file, record, 'polygons', () => instancesFromPolygons(polygons!, file, record, size.height, size.width, problems));
  }
  if (!instances) return undefined;
  sample.instances = instances;
  if (polygons) sample.plates = platesFromPolygons(polygons, join(root, extraFiles.polygons!), record, problems);
  return sample;
}

/** The label a pixel value of an instanceIds image belongs to. */
function labelOfValue(v: number): CityscapesLabel | undefined {
  return labelById(v >= 1000 ? Math.floor(v / 1000) : v);
}

/**
 * Instances of a row-major instanceIds map. Unknown label ids, and instance ids (>= 1000) of
 * labels without instances, are reported; their pixels give no Instance.
 */
export function instancesFromIds(ids: ArrayLike<number>, h: number, w: number, file: string, record: string, problems: Problems, sources?: Map<number, unknown>): Instance[] {
  const values = new Set<number>();
  for (let i = 0; i < ids.length; i++) values.add(ids[i]);
  const keep = new Set<number>();
  for (const v of [...values].sort((a, b) => a - b)) {
    const label = labelOfValue(v);
    if (!label) {
      problems.report(file, record, 'instanceIds', `pixel value ${v}: unknown label id ${v >= 1000 ? Math.floor(v / 1000) : v}`);
      continue;
    }
    if (v >= 1000 && !label.hasInstances) {
      problems.report(file, record, 'instanceIds', `pixel value ${v}: instance id of label '${label.name}', which has no instances`);
      continue;
    }
    if (label.hasInstances) keep.add(v);
  }
  return regionsFromIdMap(ids, h, w, (v) => keep.has(v)).map((r) => {
    const label = labelOfValue(r.id)!;
    const inst: Instance = {
      id: r.id,
      categoryId: label.id,
      category: label.name,
      mask: r.mask,
      bbox: r.bbox,
      iscrowd: r.id < 1000,
      ignore: label.ignoreInEval,
      area: r.area,
    };
    const src = sources?.get(r.id);
    if (src !== undefined) inst.source = src;
    return inst;
  });
}

/** Builds the instanceIds map a polygons.json describes (see the file comment), then its Instances. */
function instancesFromPolygons(j: PolygonsFile, file: string, record: string, h: number, w: number, problems: Problems): Instance[] {
  const ids = new Uint16Array(h * w); // 0: 'unlabeled', as json2instanceImg's background
  const counters = new Map<number, number>();
  const sources = new Map<number, unknown>();
  j.objects.forEach((obj: unknown, i: number) => {
    const o = obj as { label?: unknown; polygon?: unknown; deleted?: unknown };
    const name = typeof o?.label === 'string' ? o.label : undefined;
    const rec = `${record} object #${i}${name ? ` (${name})` : ''}`;
    if (typeof obj !== 'object' || obj === null) return problems.report(file, rec, 'objects', 'expected an object');
    if (o.deleted) return;
    if (name === undefined) return problems.report(file, rec, 'label', 'expected a string');
    const resolved = resolvePolygonLabel(name);
    if (!resolved) return problems.report(file, rec, 'label', `label '${name}' not known`);
    const { label, group } = resolved;
    if (label.id < 0) return;
    const poly = o.polygon;
    if (!isPointList(poly)) return problems.report(file, rec, 'polygon', 'expected a list of [x, y] points');
    if (poly.length < 3) return problems.report(file, rec, 'polygon', `polygon has ${poly.length} points, needs at least 3`);
    let value = label.id;
    if (label.hasInstances && !group) {
      const n = counters.get(label.id) ?? 0;
      counters.set(label.id, n + 1);
      value = label.id * 1000 + n;
      sources.set(value, obj);
    } else if (label.hasInstances) {
      const prev = sources.get(value);
      sources.set(value, Array.isArray(prev) ? [...prev, obj] : [obj]);
    }
    paint(ids, frPoly(poly.flat(), h, w), value);
  });
  return instancesFromIds(ids, h, w, file, record, problems, sources);
}

/** Sets every pixel of an RLE mask (column-major runs) to `value` in a row-major map. */
function paint(ids: Uint16Array, rle: { h: number; w: number; counts: Uint32Array }, value: number): void {
  const { h, w, counts } = rle;
  let pos = 0;
  for (let k = 0; k < counts.length; k++) {
    const n = counts[k];
    if (k % 2 === 1) for (let p = pos; p < pos + n; p++) ids[(p % h) * w + Math.floor(p / h)] = value;
    pos += n;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface CityscapesLabelImages {
  /** 8-bit single-channel label ids (the table's `id`), row-major, the sample's size. */
  labelIds: Image;
  /** 16-bit instance ids: id*1000+k for instances, the label id elsewhere. */
  instanceIds: Image16;
  /** 8-bit train ids; derived from labelIds through the table when left out. */
  labelTrainIds?: Image;
}

/** trainIds of a labelIds image, as cityscapesScripts maps them (id -> trainId; -1 -> 255). */
export function trainIdsOf(labelIds: Image): Image {
  const lut = new Uint8Array(256).fill(255);
  for (const l of cityscapesLabels) if (l.id >= 0) lut[l.id] = l.trainId < 0 ? 255 : l.trainId;
  const data = new Uint8Array(labelIds.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[labelIds.data[i]];
  return { width: labelIds.width, height: labelIds.height, channels: 1, data };
}

/**
 * Writes the gtFine label PNGs of one sample built in memory (e.g. by the synthetic generator)
 * under `root` (atomically), checking sizes and label ids; returns the sample's `extraFiles`.
 * The image itself is the caller's job (at `cityscapesPaths(folder, sample.id).image`).
 */
export async function writeCityscapesSample(root: string, folder: string, sample: Pick<Sample, 'id' | 'width' | 'height'>, labels: CityscapesLabelImages): Promise<Record<string, string>> {
  const paths = cityscapesPaths(folder, sample.id);
  const where = `sample ${sample.id}`;
  const checkSize = (name: string, img: { width: number; height: number }) => {
    if (img.width !== sample.width || img.height !== sample.height) throw new DataError(paths[name as GtFineKind] ?? name, where, name, `size ${img.width}x${img.height} differs from the sample's ${sample.width}x${sample.height}`);
  };
  const { labelIds, instanceIds } = labels;
  checkSize('labelIds', labelIds);
  checkSize('instanceIds', instanceIds);
  if (labelIds.channels !== 1) throw new DataError(paths.labelIds, where, 'labelIds', `expected 1 channel, got ${labelIds.channels}`);
  for (let i = 0; i < labelIds.data.length; i++) {
    const v = labelIds.data[i];
    if (!labelById(v)) throw new DataError(paths.labelIds, where, 'labelIds', `pixel ${i % labelIds.width},${Math.floor(i / labelIds.width)}: unknown label id ${v}`);
    const u = instanceIds.data[i];
    const cls = u >= 1000 ? Math.floor(u / 1000) : u;
    if (cls !== v) throw new DataError(paths.instanceIds, where, 'instanceIds', `pixel ${i % labelIds.width},${Math.floor(i / labelIds.width)}: value ${u} is of label ${cls}, labelIds says ${v}`);
  }
  const trainIds = labels.labelTrainIds ?? trainIdsOf(labelIds);
  checkSize('labelTrainIds', trainIds);
  const abs = resolve(root);
  await writeImage(join(abs, paths.labelIds), labelIds);
  await writeImage16(join(abs, paths.instanceIds), instanceIds);
  await writeImage(join(abs, paths.labelTrainIds), trainIds);
  return { labelIds: paths.labelIds, instanceIds: paths.instanceIds, labelTrainIds: paths.labelTrainIds };
}

/**
 * Writes the label files of `ds` under `outRoot` by copying each sample's gtFine files
 * (`extraFiles`) from the source root to the same relative paths. Images are the caller's job.
 * Samples built in memory have no files to copy: write those with writeCityscapesSample.
 */
export async function writeCityscapes(ds: Dataset, outRoot: string): Promise<void> {
  const out = resolve(outRoot);
  const src = resolve(ds.root);
  if (out === src) throw new Error(`writeCityscapes: output root ${out} is the source dataset's root; the original dataset is never written`);
  for (const s of ds.samples) {
    const files = s.extraFiles ?? {};
    const kinds = Object.keys(files);
    if (!files.instanceIds && !files.polygons) {
      throw new Error(`writeCityscapes: sample ${s.id} has no gtFine files to copy; write its labels with writeCityscapesSample`);
    }
    for (const kind of kinds) {
      const rel = checkRelativePath(files[kind]);
      if ('reason' in rel) throw new DataError(src, `sample ${s.id}`, `extraFiles.${kind}`, rel.reason);
      await copyAtomic(join(src, rel.path), join(out, rel.path));
    }
  }
}

/** A copy is staged like every other output: the bytes go to a temporary name, then rename. */
async function copyAtomic(from: string, to: string): Promise<void> {
  await writeFileAtomic(to, await readFile(from));
}

