// Writes the synthetic dataset to disk in two layouts at once: Cityscapes (leftImg8bit/,
// gtFine/ with labelIds, instanceIds, labelTrainIds and polygons.json holding the licence plates)
// and COCO (annotations/instances_*.json with the licence plates, annotations/person_keypoints_*.json
// over the same images), plus a manifest for each.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic, writeJsonAtomic } from '../atomic.ts';
import { labelById } from '../cityscapes-labels.ts';
import { encodeImage, encodeImage16 } from '../image.ts';
import type { Box } from '../types.ts';
import { platePolygonsJson } from './cityscapes-polygons.ts';
import { COCO_CATEGORIES, COCO_PERSON_CATEGORY, cocoRecords, withoutKeypoints, type CocoAnnotation, type CocoImage } from './coco-json.ts';
import { cocoPlateRecords } from './coco-plates.ts';
import { COCO_CATEGORY } from './labels.ts';
import { generateSample, type SynthSample } from './generate.ts';

/** Bumped whenever the same seed would give different files (2: licence plates in instances_*.json and polygons.json). */
export const SYNTH_VERSION = 2;

/** zlib level of the PNGs (libpng's scale 0..9). */
export const PNG_LEVEL = 6;

export interface SynthDatasetOptions {
  out: string;
  train: number;
  val: number;
  width: number;
  height: number;
  seed: number;
  /** The output folder as the user named it (for the manifests' `obtain`); default `out`. */
  outLabel?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface SynthSummary {
  images: number;
  instances: number;
  persons: number;
  riders: number;
  crowds: number;
  cars: number;
  bicycles: number;
  faces: number;
  plates: number;
  files: string[];
}

let trainIdLut: Uint8Array | undefined;
/** labelId -> trainId (255 for ignored labels), from the official table. */
export function trainIdTable(): Uint8Array {
  if (!trainIdLut) {
    trainIdLut = new Uint8Array(256).fill(255);
    for (let id = 0; id < 256; id++) {
      const l = labelById(id);
      if (l && l.trainId >= 0) trainIdLut[id] = l.trainId;
    }
  }
  return trainIdLut;
}

/** The four PNGs of a sample, encoded. */
export async function encodeSample(s: SynthSample): Promise<{ image: Buffer; labelIds: Buffer; instanceIds: Buffer; labelTrainIds: Buffer }> {
  const { width, height } = s;
  const lut = trainIdTable();
  const train = new Uint8Array(width * height);
  for (let i = 0; i < train.length; i++) train[i] = lut[s.labelIds[i]];
  const [image, labelIds, instanceIds, labelTrainIds] = await Promise.all([
    encodeImage({ width, height, channels: 3, data: s.rgb }, 'png', { compressionLevel: PNG_LEVEL }),
    encodeImage({ width, height, channels: 1, data: s.labelIds }, 'png', { compressionLevel: PNG_LEVEL }),
    encodeImage16({ width, height, data: s.instanceIds }),
    encodeImage({ width, height, channels: 1, data: train }, 'png', { compressionLevel: PNG_LEVEL }),
  ]);
  return { image, labelIds, instanceIds, labelTrainIds };
}

/** Paths of a sample's files relative to the dataset root. */
export function samplePaths(split: string, name: string) {
  return {
    image: `leftImg8bit/${split}/synth/${name}_leftImg8bit.png`,
    labelIds: `gtFine/${split}/synth/${name}_gtFine_labelIds.png`,
    instanceIds: `gtFine/${split}/synth/${name}_gtFine_instanceIds.png`,
    labelTrainIds: `gtFine/${split}/synth/${name}_gtFine_labelTrainIds.png`,
    polygons: `gtFine/${split}/synth/${name}_gtFine_polygons.json`,
  };
}

export async function writeSynthDataset(o: SynthDatasetOptions): Promise<SynthSummary> {
  for (const [k, v] of [
    ['train', o.train],
    ['val', o.val],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 999999) throw new RangeError(`synth: --${k} must be an integer in [0, 999999], got ${v}`);
  }
  if (o.train + o.val === 0) throw new RangeError('synth: nothing to generate (--train and --val are both 0)');
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new RangeError(`synth: --seed must be a non-negative integer, got ${o.seed}`);
  const summary: SynthSummary = { images: 0, instances: 0, persons: 0, riders: 0, crowds: 0, cars: 0, bicycles: 0, faces: 0, plates: 0, files: [] };
  const total = o.train + o.val;
  let done = 0;
  const splits = (
    [
      ['train', o.train],
      ['val', o.val],
    ] as const
  ).filter(([, n]) => n > 0);
  for (const [split, n] of splits) {
    const images: CocoImage[] = [];
    const annotations: CocoAnnotation[] = [];
    const plates: { imageId: number; boxes: Box[] }[] = [];
    let nextId = 1;
    let pending: Promise<void> | undefined;
    for (let index = 0; index < n; index++) {
      const s = generateSample({ seed: o.seed, split, index, width: o.width, height: o.height });
      const rec = cocoRecords(s, nextId);
      nextId += rec.annotations.length;
      images.push(rec.image);
      annotations.push(...rec.annotations);
      if (s.plates.length > 0) plates.push({ imageId: rec.image.id, boxes: s.plates.map((p) => p.box) });
      count(summary, s);
      if (pending) await pending;
      pending = writeSampleFiles(o.out, s, summary.files).then(() => {
        done++;
        o.onProgress?.(done, total);
      });
    }
    if (pending) await pending;
    // plates after every object annotation of the split: the objects' ids stay what they were
    const plateAnnotations = plates.flatMap((p) => {
      const a = cocoPlateRecords(p.imageId, p.boxes, o.width, o.height, nextId);
      nextId += a.length;
      return a;
    });
    const info = { description: `anon-impact synthetic street scenes, ${split} split`, version: String(SYNTH_VERSION), seed: o.seed };
    const instPath = `annotations/instances_${split}.json`;
    await writeJsonAtomic(join(o.out, instPath), { info, images, annotations: [...annotations.map(withoutKeypoints), ...plateAnnotations], categories: COCO_CATEGORIES });
    const kpPath = `annotations/person_keypoints_${split}.json`;
    await writeJsonAtomic(join(o.out, kpPath), {
      info,
      images,
      annotations: annotations.filter((a) => a.category_id === COCO_CATEGORY.person),
      categories: [COCO_PERSON_CATEGORY],
    });
    summary.files.push(instPath, kpPath);
  }
  const manifests = synthManifests(o, splits.map(([s]) => s));
  for (const [file, text] of manifests) {
    await writeFileAtomic(join(o.out, file), text);
    summary.files.push(file);
  }
  return summary;
}

async function writeSampleFiles(out: string, s: SynthSample, files: string[]): Promise<void> {
  const enc = await encodeSample(s);
  const p = samplePaths(s.split, s.name);
  await Promise.all([
    writeFileAtomic(join(out, p.image), enc.image),
    writeFileAtomic(join(out, p.labelIds), enc.labelIds),
    writeFileAtomic(join(out, p.instanceIds), enc.instanceIds),
    writeFileAtomic(join(out, p.labelTrainIds), enc.labelTrainIds),
    writeJsonAtomic(join(out, p.polygons), platePolygonsJson(s.width, s.height, s.plates.map((q) => q.box)), 4),
  ]);
  files.push(p.image, p.labelIds, p.instanceIds, p.labelTrainIds, p.polygons);
}

function count(sum: SynthSummary, s: SynthSample): void {
  sum.images++;
  for (const i of s.instances) {
    sum.instances++;
    if (i.kind === 'person') sum.persons++;
    else if (i.kind === 'rider') sum.riders++;
    else if (i.kind === 'crowd') sum.crowds++;
    else if (i.kind === 'car') sum.cars++;
    else if (i.kind === 'bicycle') sum.bicycles++;
    if (i.faceBox) sum.faces++;
  }
  sum.plates += s.plates.length;
}

/** The two manifests' file names and YAML text. */
export function synthManifests(o: SynthDatasetOptions, splits: readonly string[]): [string, string][] {
  const cmd = `npx anon-impact synth --out ${o.outLabel ?? o.out} --train ${o.train} --val ${o.val} --width ${o.width} --height ${o.height} --seed ${o.seed}`;
  const common = {
    root: '.',
    rootEnv: 'ANON_IMPACT_SYNTH_ROOT',
    licence: `generated by anon-impact synth (seed ${o.seed}); no real persons; free to use`,
    obtain: cmd,
  };
  const synth = { seed: o.seed, width: o.width, height: o.height, train: o.train, val: o.val, version: SYNTH_VERSION };
  const city = {
    name: 'synth-cityscapes',
    description: 'Synthetic street scenes in the Cityscapes layout (gtFine labelIds, instanceIds, labelTrainIds; licence plates in polygons.json).',
    format: 'cityscapes',
    ...common,
    anonymize: ['person', 'rider'],
    splits: Object.fromEntries(splits.map((s) => [s, {}])),
    synth,
  };
  const coco = {
    name: 'synth-coco',
    description: 'The same synthetic street scenes as COCO person_keypoints (riders are persons; crowds are iscrowd regions; licence plates from instances_*.json).',
    format: 'coco',
    ...common,
    anonymize: ['person'],
    splits: Object.fromEntries(splits.map((s) => [s, { annotations: `annotations/person_keypoints_${s}.json`, plates: `annotations/instances_${s}.json`, images: `leftImg8bit/${s}` }])),
    synth,
  };
  return [
    ['synth-cityscapes.yaml', stringify(city, { lineWidth: 0 })],
    ['synth-coco.yaml', stringify(coco, { lineWidth: 0 })],
  ];
}
