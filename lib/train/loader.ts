// Seeded-order data loading for training and prediction: each sample's image is decoded with
// sharp and resized (aspect kept) to fit the model's base size; its annotations become maps at
// that size: semantic class per pixel, instance index per pixel, and the instances' boxes and
// keypoints in base-size coordinates. With `imageRoot` (the --data option) the images come from a
// copy of the dataset in the same layout (e.g. an anonymized one) and the annotations from the
// original. Decoded samples are kept in an LRU cache up to a byte budget.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../data/image.ts';
import { decode } from '../data/masks/index.ts';
import type { Box, Dataset, Sample } from '../data/types.ts';
import type { Task } from '../models/dense.ts';
import { IGNORE_LABEL, classOfCategory, type ClassSpec } from './classes.ts';

export interface BaseInstance {
  /** Class index of the instance's category, -1 when it trains no class. */
  classIndex: number;
  crowd: boolean;
  ignore: boolean;
  /** Box in base-size pixel coordinates [x, y, w, h]. */
  bbox: Box;
  /** 17 keypoints [x, y, v, ...] in base-size coordinates (v as annotated). */
  keypoints?: Float32Array;
  numKeypoints: number;
}

export interface BaseSample {
  index: number;
  id: string;
  /** Base size (the image resized to fit the model's base size, aspect kept). */
  width: number;
  height: number;
  origWidth: number;
  origHeight: number;
  /** RGB, row-major, base size. */
  image: Uint8Array;
  /** Class index per pixel, IGNORE_LABEL where unlabelled (semseg and instances). */
  semantic?: Uint8Array;
  /** Index into `instances` per pixel, -1 for none (the smaller instance wins where they overlap). */
  instanceMap: Int32Array;
  instances: BaseInstance[];
}

export interface LoaderOptions {
  task: Task;
  classes: ClassSpec;
  /** Base size [width, height]: every image is resized to fit inside it, aspect kept. */
  size: [number, number];
  /** Read images from this dataset root instead of the dataset's own (same relative paths). */
  imageRoot?: string;
  /** Whether to build annotation maps (false for prediction: images only). */
  annotations?: boolean;
  /** Cache budget in bytes (default 1 GiB). */
  cacheBytes?: number;
}

/** The base size of an image of size w x h fitting inside [W, H], aspect kept. */
export function fitSize(w: number, h: number, size: [number, number]): [number, number] {
  const s = Math.min(size[0] / w, size[1] / h);
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}

/** Nearest-neighbour index map from a bw x bh grid onto a w x h one (pixel centres). */
function nearestIndex(n: number, from: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(from - 1, Math.floor(((i + 0.5) * from) / n));
  return out;
}

async function resizedRgb(file: string, sample: Sample, bw: number, bh: number): Promise<Uint8Array> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read image of sample ${sample.id}: ${(e as Error).message}`);
  }
  const meta = await sharp(buf).metadata().catch((e: Error) => {
    throw new Error(`${file}: cannot decode image of sample ${sample.id}: ${e.message}`);
  });
  if (meta.width !== sample.width || meta.height !== sample.height) {
    throw new Error(`${file}: image of sample ${sample.id} is ${meta.width}x${meta.height}, its annotations say ${sample.width}x${sample.height}`);
  }
  const { data, info } = await sharp(buf, { failOn: 'truncated' })
    .removeAlpha()
    .toColourspace('srgb')
    .resize(bw, bh, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((e: Error) => {
      throw new Error(`${file}: cannot decode image of sample ${sample.id}: ${e.message}`);
    });
  if (info.channels !== 3 || info.width !== bw || info.height !== bh) throw new Error(`${file}: decoded to ${info.width}x${info.height}x${info.channels}, expected ${bw}x${bh}x3`);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** One sample's image at its own size (8-bit RGB, interleaved), from `imageRoot` when given. */
export async function loadOriginalRgb(ds: Dataset, index: number, imageRoot?: string): Promise<Uint8Array> {
  const sample = ds.samples[index];
  return resizedRgb(join(imageRoot ?? ds.root, sample.file), sample, sample.width, sample.height);
}

/** Loads one sample at base size. */
export async function loadSample(ds: Dataset, index: number, opts: LoaderOptions): Promise<BaseSample> {
  const sample = ds.samples[index];
  const [bw, bh] = fitSize(sample.width, sample.height, opts.size);
  const root = opts.imageRoot ?? ds.root;
  const image = await resizedRgb(join(root, sample.file), sample, bw, bh);
  const sx = bw / sample.width;
  const sy = bh / sample.height;
  const out: BaseSample = {
    index,
    id: sample.id,
    width: bw,
    height: bh,
    origWidth: sample.width,
    origHeight: sample.height,
    image,
    instanceMap: new Int32Array(bw * bh).fill(-1),
    instances: [],
  };
  if (opts.annotations === false) return out;
  const W = sample.width;
  const H = sample.height;
  const xi = nearestIndex(bw, W);
  const yi = nearestIndex(bh, H);
  // Instances, painted largest first so that smaller ones stay visible where they overlap.
  const order = sample.instances.map((_, i) => i).sort((a, b) => sample.instances[b].area - sample.instances[a].area || a - b);
  const full = new Int32Array(W * H).fill(-1);
  for (const k of order) {
    const inst = sample.instances[k];
    if (inst.mask.h !== H || inst.mask.w !== W) throw new Error(`${ds.root}: sample ${sample.id}: instance ${inst.id}: mask is ${inst.mask.h}x${inst.mask.w}, image ${H}x${W}`);
    const m = decode(inst.mask);
    for (let p = 0; p < m.length; p++) if (m[p]) full[p] = k;
  }
  for (let y = 0; y < bh; y++) {
    const row = yi[y] * W;
    for (let x = 0; x < bw; x++) out.instanceMap[y * bw + x] = full[row + xi[x]];
  }
  out.instances = sample.instances.map((inst) => {
    const [x, y, w, h] = inst.bbox;
    const b: BaseInstance = {
      classIndex: classOfCategory(opts.classes, inst.categoryId),
      crowd: inst.iscrowd,
      ignore: inst.ignore,
      bbox: [x * sx, y * sy, w * sx, h * sy],
      numKeypoints: inst.numKeypoints ?? 0,
    };
    if (inst.keypoints) {
      const kp = new Float32Array(51);
      for (let j = 0; j < 17; j++) {
        kp[3 * j] = inst.keypoints[3 * j] * sx;
        kp[3 * j + 1] = inst.keypoints[3 * j + 1] * sy;
        kp[3 * j + 2] = inst.keypoints[3 * j + 2];
      }
      b.keypoints = kp;
      if (inst.numKeypoints === undefined) b.numKeypoints = countVisible(kp);
    }
    return b;
  });
  if (opts.task === 'semseg' || opts.task === 'instances') out.semantic = await semanticMap(ds, sample, opts, out, xi, yi);
  return out;
}

function countVisible(kp: Float32Array): number {
  let n = 0;
  for (let j = 0; j < 17; j++) if (kp[3 * j + 2] > 0) n++;
  return n;
}

async function semanticMap(ds: Dataset, sample: Sample, opts: LoaderOptions, out: BaseSample, xi: Int32Array, yi: Int32Array): Promise<Uint8Array> {
  const bw = out.width;
  const bh = out.height;
  const sem = new Uint8Array(bw * bh);
  const lut = opts.classes.labelLut;
  if (lut) {
    const rel = sample.extraFiles?.labelIds;
    if (!rel) throw new Error(`${ds.root}: sample ${sample.id}: no gtFine labelIds file (needed for semantic training targets)`);
    const file = join(ds.root, rel);
    const img = await decodeImage(file, 1);
    if (img.width !== sample.width || img.height !== sample.height) throw new Error(`${file}: labelIds is ${img.width}x${img.height}, the image ${sample.width}x${sample.height}`);
    for (let y = 0; y < bh; y++) {
      const row = yi[y] * img.width;
      for (let x = 0; x < bw; x++) sem[y * bw + x] = lut[img.data[row + xi[x]]];
    }
    return sem;
  }
  // Other formats: background (0) where no instance, the instance's class where one is; pixels of
  // `ignore` instances and of categories that train no class are unlabelled.
  for (let p = 0; p < sem.length; p++) {
    const k = out.instanceMap[p];
    if (k < 0) continue;
    const inst = out.instances[k];
    sem[p] = inst.ignore || inst.classIndex < 0 ? IGNORE_LABEL : inst.classIndex;
  }
  return sem;
}

/** Samples of a split by index, loaded on demand and cached (LRU, by bytes). */
export class SampleSource {
  private readonly cache = new Map<number, BaseSample>();
  private bytes = 0;
  private readonly budget: number;

  constructor(
    readonly dataset: Dataset,
    readonly opts: LoaderOptions,
  ) {
    this.budget = opts.cacheBytes ?? 2 ** 30;
  }

  get size(): number {
    return this.dataset.samples.length;
  }

  async get(index: number): Promise<BaseSample> {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    const s = await loadSample(this.dataset, index, this.opts);
    const b = sampleBytes(s);
    this.cache.set(index, s);
    this.bytes += b;
    while (this.bytes > this.budget && this.cache.size > 1) {
      const [k, v] = this.cache.entries().next().value as [number, BaseSample];
      this.cache.delete(k);
      this.bytes -= sampleBytes(v);
    }
    return s;
  }
}

function sampleBytes(s: BaseSample): number {
  return s.image.byteLength + (s.semantic?.byteLength ?? 0) + s.instanceMap.byteLength + s.instances.length * 300;
}
