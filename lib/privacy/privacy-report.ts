// The privacy figures of an anonymized copy of a dataset split (docs/privacy.md): for every image
// the copy anonymized, the original (from the manifest) beside the anonymized image (from the
// copy), over the regions the copy anonymized.
//
// Regions: recomputed from the original as lib/regions computes them, with the copy's own region
// configuration (provenance.jsonl's run header) and, for persons that need it, the same face
// detector; the instances found anonymized must be the ones the journal lists for that image, or
// the run stops with an error naming the record (the copy was made from other annotations or
// another detector output). Faces measured: with --region face, the copy's face regions; with
// --region body, the face regions lib/regions finds for the persons whose bodies were anonymized
// (does hiding the body hide the face?). Persons measured: the anonymized instances, by their
// annotated box. A copy that also anonymized licence plates ('face+plate', 'body+plate') is
// measured on its person part; its plate regions are left out.
//
// Checked before anything is measured, each a DataError naming the file, the record and the field:
// the copy's dataset, split and region kind against --manifest/--split/--region; per image, the
// journal's input path, the original file's sha256 and the annotations' hash against what the
// copy was made from, and the anonymized file's sha256 against what the copy wrote. Images the
// copy failed (--on-error skip) or has not reached yet (an unfinished run) are counted and left out.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage, type Image } from '../data/image.ts';
import { loadManifest, type Manifest } from '../data/manifest.ts';
import { toBbox } from '../data/masks/index.ts';
import { readSplit } from '../data/open.ts';
import { DataError, type Box, type Sample } from '../data/types.ts';
import { paintRle } from '../anonymize/anonymizer.ts';
import { annotationHash, regionOptions } from '../anonymize/process-image.ts';
import type { ImageRecord } from '../anonymize/provenance.ts';
import type { Corners } from '../regions/dp2-crop.ts';
import type { FaceDetector } from '../regions/face-detector.ts';
import type { Region } from '../regions/region.ts';
import { computeRegions, detectorNeeded, type RegionOptions } from '../regions/regions.ts';
import { mean } from '../stats/describe.ts';
import { readAnonymizedCopy, readCopyFile, type AnonymizedCopy } from './anonymized-copy.ts';
import type { ModelBackend } from '../nn/runtime/start.ts';
import { MATCH_RULES, matchTargets } from './box-match.ts';
import {
  cosineSimilarity,
  faceEmbeddingModelInfo,
  HUMAN_MATCH_THRESHOLD,
  HUMAN_THRESHOLD_SOURCE,
  humanMatch,
  humanSimilarity,
  humanVersion,
  loadFaceEmbedder,
  type FaceEmbedder,
  type ModelInfo,
} from './face-embedding.ts';
import { FACE_DETECTABILITY_RULE, facesFound, type FaceTarget } from './face-detectability.ts';
import { achromatic, APPEARANCE_METRIC, appearanceDistance } from './hsv-histogram.ts';
import { loadPersonDetector, personDetectorInfo, type PersonDetector } from './person-detector.ts';
import { pixelIndependence, type PixelIndependence } from './pixel-independence.ts';

export const PRIVACY_SCHEMA = 'anon-impact/privacy@1';

/** The person regions the figures are about. */
export type PersonKind = 'face' | 'body';

/**
 * The person part of a copy's region selection ('face', 'body', or with licence plates
 * 'face+plate', 'body+plate'), undefined when it anonymized no person region.
 */
export function personPart(selection: string): PersonKind | undefined {
  const first = selection.split('+')[0];
  return first === 'face' || first === 'body' ? first : undefined;
}
/** The cosine threshold's quantile over pairs of different original faces (1% false matches). */
export const CALIBRATED_QUANTILE = 0.99;
/** Most pairs of different original faces in the re-identification baseline (evenly spaced beyond that). */
export const DEFAULT_BASELINE_PAIRS = 100_000;

export interface PrivacyOptions {
  /** A loaded manifest or the path of its YAML file (the original dataset). */
  manifest: Manifest | string;
  split: string;
  /** The --out folder of `anon-impact anonymize` for that split. */
  anonymized: string;
  /** The person regions the copy anonymized (checked against its provenance; plates of a 'face+plate' copy are not measured). */
  region: PersonKind;
  backend?: ModelBackend;
  maxBaselinePairs?: number;
  /** Measure at most this many of the images the copy anonymized, evenly spaced in split order
   * (evenlySpaced); absent: all of them. */
  maxImages?: number;
  /** Called after each image of the split. */
  onProgress?: (done: number, total: number) => void;
}

/** n values: mean, median, min, max (null when n = 0). */
export interface Distribution {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

/** found of n; share = found / n (null when n = 0). */
export interface Share {
  n: number;
  found: number;
  share: number | null;
}

export interface FaceRecord {
  sampleId: string;
  instanceId: number;
  /** Where the face region came from (annotation, keypoints, detector). */
  source: string;
  box: Box;
  cosine: number;
  humanSimilarity: number;
  matched: boolean;
  detectedOriginal: boolean;
  detectedAnonymized: boolean;
}

export interface PersonRecord {
  sampleId: string;
  instanceId: number;
  box: Box;
  detectedOriginal: boolean;
  detectedAnonymized: boolean;
}

export interface RegionRecord {
  sampleId: string;
  instanceId: number;
  kind: PersonKind;
  pixels: number;
  /** The original region has no colour (R = G = B everywhere): left out of the distance. */
  achromatic: boolean;
  /** null for an achromatic region. */
  bhattacharyya: number | null;
}

export interface PrivacyReport {
  schema: string;
  copy: {
    dir: string;
    dataset: string;
    split: string;
    /** The copy's region selection as its provenance states it (e.g. 'face', 'body+plate'). */
    region: string;
    method: string;
    params: Record<string, unknown>;
    configHash: string;
    /** The journal says the run finished with every image written. */
    complete: boolean;
  };
  images: {
    /** Samples in the split. */
    split: number;
    /** Images the copy anonymized (at least one region). */
    anonymized: number;
    /** Of those, the images measured: all, or maxImages of them evenly spaced in split order. */
    measured: number;
    /** Images the copy wrote without a region (nothing to measure). */
    untouched: number;
    /** Images the copy failed to write (journal error records). */
    failed: number;
    /** Images with no journal record (the run has not reached them). */
    missing: number;
  };
  models: {
    faceRecognition: ModelInfo & { threshold: string; thresholdSource: string };
    faceDetector: ModelInfo;
    personDetector: ModelInfo;
    backend: string | null;
  };
  pixelIndependence: PixelIndependence;
  faceReidentification: {
    /** Which faces: the copy's face regions, or the faces of the persons whose bodies were anonymized. */
    faces: string;
    n: number;
    cosine: Distribution;
    humanSimilarity: Distribution;
    /** Original and anonymized crop of the same face matched by Human's rule. */
    matched: Share;
    /** Pairs of two different original faces: how often the rule matches different people. */
    baseline: { pairs: number; cosine: Distribution; humanSimilarity: Distribution; matched: Share };
    /**
     * A cosine threshold calibrated on the original faces: the CALIBRATED_QUANTILE quantile of
     * the cosine over pairs of different original faces (a 1% false-match rate there), and the
     * share of faces whose anonymized crop is above it (null without two original faces).
     */
    calibrated: { threshold: number | null; quantile: number; matched: Share; baseline: Share };
  };
  faceDetectability: { n: number; rule: string; original: Share; anonymized: Share };
  appearanceLeak: {
    n: number;
    regions: string;
    metric: string;
    bhattacharyya: Distribution;
    /** Regions left out: the original has no colour (a greyscale photo). */
    achromatic: number;
  };
  personDetectability: { n: number; rule: string; original: Share; anonymized: Share };
  /** Per face, person and region, in dataset order (the library's callers; the CLI prints the summary). */
  records: { faces: FaceRecord[]; persons: PersonRecord[]; regions: RegionRecord[] };
}

/** Indices of `max` of n items evenly spaced (floor(k * n / max), k = 0..max-1); all n when max is absent or >= n. */
export function evenlySpaced(n: number, max?: number): number[] {
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new RangeError(`the number of images to measure must be an integer >= 1, got ${max}`);
  const m = max === undefined ? n : Math.min(n, max);
  return Array.from({ length: m }, (_, k) => Math.floor((k * n) / m));
}

export function distribution(xs: readonly number[]): Distribution {
  if (xs.length === 0) return { n: 0, mean: null, median: null, min: null, max: null };
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  const median = s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  return { n: s.length, mean: mean(s), median, min: s[0]!, max: s[s.length - 1]! };
}

/** The q quantile of `xs` with linear interpolation between order statistics (numpy.quantile's default); null when empty. */
export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

export function share(flags: readonly boolean[]): Share {
  const found = flags.filter(Boolean).length;
  return { n: flags.length, found, share: flags.length ? found / flags.length : null };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Row-major 0/1 mask of a region. */
function regionMask(r: Region, width: number, height: number): Uint8Array {
  const m = new Uint8Array(width * height);
  paintRle(r.mask, m);
  return m;
}

/** Index pairs (i < j) of n items, at most `max`, evenly spaced over the full list when it is longer. */
export function* pairs(n: number, max: number): Generator<[number, number]> {
  const total = (n * (n - 1)) / 2;
  let c = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, c++) {
      // pair c is taken when floor((c + 1) max / total) > floor(c max / total): exactly min(max, total) pairs
      if (total <= max || Math.floor(((c + 1) * max) / total) > Math.floor((c * max) / total)) yield [i, j];
    }
  }
}

function checkCopyAgainst(copy: AnonymizedCopy, manifest: Manifest, split: string, region: PersonKind): void {
  const c = copy.header.config;
  const rec = 'line 1 (run)';
  if (c.dataset.split !== split) throw new DataError(copy.journal, rec, 'config.dataset.split', `the copy is of split '${c.dataset.split}', --split is '${split}'`);
  const person = personPart(String(c.region.kind));
  if (person === undefined) throw new DataError(copy.journal, rec, 'config.region.kind', `the copy anonymized ${c.region.kind} regions and no person region: the privacy figures are about faces and bodies`);
  if (person !== region) throw new DataError(copy.journal, rec, 'config.region.kind', `the copy anonymized ${c.region.kind} regions, --region is '${region}'`);
  if (c.dataset.name !== manifest.name) throw new DataError(copy.journal, rec, 'config.dataset.name', `the copy is of dataset '${c.dataset.name}', the manifest ${manifest.path} is '${manifest.name}'`);
  if (c.dataset.format !== manifest.format) throw new DataError(copy.journal, rec, 'config.dataset.format', `the copy is of a ${c.dataset.format} dataset, the manifest ${manifest.path} is ${manifest.format}`);
}

interface Models {
  faceDetector?: Promise<FaceDetector>;
  embedder?: Promise<FaceEmbedder>;
  persons?: Promise<PersonDetector>;
}

export async function privacyReport(o: PrivacyOptions): Promise<PrivacyReport> {
  const manifest = typeof o.manifest === 'string' ? await loadManifest(o.manifest) : o.manifest;
  if (o.region !== 'face' && o.region !== 'body') throw new RangeError(`region must be 'face' or 'body', got ${String(o.region)}`);
  const copy = await readAnonymizedCopy(o.anonymized);
  checkCopyAgainst(copy, manifest, o.split, o.region);
  const ds = await readSplit(manifest, o.split);
  const byId = new Map(ds.samples.map((s) => [s.id, s]));
  for (const id of [...copy.images.keys(), ...copy.errors.keys()]) {
    if (!byId.has(id)) throw new DataError(copy.journal, `image ${id}`, 'id', `no sample '${id}' in split '${o.split}' of ${manifest.path}`);
  }
  const cfg = copy.header.config;
  const person = o.region;
  const ropts = regionOptions(cfg.region);
  const maxPairs = o.maxBaselinePairs ?? DEFAULT_BASELINE_PAIRS;
  if (!(Number.isInteger(maxPairs) && maxPairs >= 0)) throw new RangeError(`maxBaselinePairs must be an integer >= 0, got ${maxPairs}`);

  const models: Models = {};
  const faceDetector = () => (models.faceDetector ??= import('../regions/detector.ts').then((m) => m.loadFaceDetector({ backend: o.backend })));
  const embedder = () => (models.embedder ??= loadFaceEmbedder({ backend: o.backend }));
  const personDetector = () => (models.persons ??= loadPersonDetector({ backend: o.backend }));

  const faces: FaceRecord[] = [];
  const persons: PersonRecord[] = [];
  const regions: RegionRecord[] = [];
  const originalDescriptors: Float32Array[] = [];
  const images = { split: ds.samples.length, anonymized: 0, measured: 0, untouched: 0, failed: 0, missing: 0 };

  /** Face regions of `sample` computed on the original with the copy's options (kind: which regions). */
  async function regionsOf(sample: Sample, original: Image, kind: RegionOptions['kind']) {
    const opts: Omit<RegionOptions, 'detector'> = { ...ropts, kind };
    const need = cfg.region.detector !== 'none' && detectorNeeded(sample, opts);
    return computeRegions(sample, original, { ...opts, detector: need ? await faceDetector() : undefined });
  }

  async function measure(sample: Sample, record: ImageRecord): Promise<void> {
    const rec = `image ${sample.id}`;
    if (record.input.path !== sample.file) throw new DataError(copy.journal, rec, 'input.path', `the copy was made from '${record.input.path}', the split's sample is '${sample.file}'`);
    if (record.annotations !== annotationHash(sample)) throw new DataError(copy.journal, rec, 'annotations', `the sample's annotations in ${manifest.path} are not the ones the copy was made from (hash differs)`);
    const inPath = join(ds.root, ...sample.file.split('/'));
    let inBytes: Buffer;
    try {
      inBytes = await readFile(inPath);
    } catch (e) {
      throw new DataError(inPath, rec, 'file', `cannot read the original image (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (sha256(inBytes) !== record.input.sha256) throw new DataError(copy.journal, rec, 'input.sha256', `${inPath} is not the image the copy was made from (sha256 differs)`);
    const outBytes = await readCopyFile(copy, record.output.path, rec);
    if (sha256(outBytes) !== record.output.sha256) throw new DataError(copy.journal, rec, 'output.sha256', `${join(copy.dir, record.output.path)} is not the image the copy wrote (sha256 differs: changed after the run?)`);
    const original = await decodeImage(inBytes);
    const anonymized = await decodeImage(outBytes);
    for (const [what, img, file] of [['original', original, inPath], ['anonymized', anonymized, join(copy.dir, record.output.path)]] as const) {
      if (img.width !== sample.width || img.height !== sample.height) throw new DataError(file, rec, 'width/height', `the ${what} image is ${img.width}x${img.height}, the annotation says ${sample.width}x${sample.height}`);
    }

    // the copy's regions of its whole selection, of which the person part is measured
    const all = await regionsOf(sample, original, cfg.region.kind);
    const found = { regions: all.regions.filter((r) => r.kind === person) };
    const anonIds = record.instances.filter((i) => i.status === 'anonymized' && (i.kind ?? person) === person).map((i) => i.instanceId);
    const ours = found.regions.map((r) => r.instanceId);
    if (anonIds.length !== ours.length || anonIds.some((id, k) => id !== ours[k])) {
      throw new DataError(copy.journal, rec, 'instances', `the journal lists instances [${anonIds.join(', ')}] as anonymized, the ${person} regions computed from the original are of [${ours.join(', ')}] (other annotations, or another face detector output)`);
    }
    const instances = new Map(sample.instances.map((i) => [i.id, i]));

    // appearance: each anonymized region's mask in both images
    for (const r of found.regions) {
      const m = regionMask(r, sample.width, sample.height);
      let pixels = 0;
      for (let i = 0; i < m.length; i++) pixels += m[i]!;
      if (pixels === 0) continue;
      const grey = achromatic(original, m);
      regions.push({ sampleId: sample.id, instanceId: r.instanceId, kind: person, pixels, achromatic: grey, bhattacharyya: grey ? null : appearanceDistance(original, anonymized, m) });
    }

    // faces: the copy's face regions, or the faces of the persons whose bodies it anonymized
    const faceRegions = person === 'face' ? found.regions : (await regionsOf(sample, original, 'face')).regions.filter((r) => ours.includes(r.instanceId));
    if (faceRegions.length > 0) {
      const boxes = faceRegions.map((r) => r.box);
      const emb = await embedder();
      const a = await emb.embed(original, boxes);
      const b = await emb.embed(anonymized, boxes);
      const targets: FaceTarget[] = faceRegions.map((r) => {
        const inst = instances.get(r.instanceId);
        const t = inst ? toBbox(inst.mask) : undefined;
        return { box: r.box, person: t && t[2] > 0 && t[3] > 0 ? ([t[0], t[1], t[0] + t[2], t[1] + t[3]] as Corners) : undefined };
      });
      const det = await faceDetector();
      const inOriginal = await facesFound(det, original, targets);
      const inAnonymized = await facesFound(det, anonymized, targets);
      faceRegions.forEach((r, k) => {
        originalDescriptors.push(a[k]!);
        faces.push({
          sampleId: sample.id,
          instanceId: r.instanceId,
          source: r.source,
          box: r.box,
          cosine: cosineSimilarity(a[k]!, b[k]!),
          humanSimilarity: humanSimilarity(a[k]!, b[k]!),
          matched: humanMatch(a[k]!, b[k]!),
          detectedOriginal: inOriginal[k]!,
          detectedAnonymized: inAnonymized[k]!,
        });
      });
    }

    // persons: the anonymized instances by their annotated box
    const personBoxes = ours.map((id) => instances.get(id)!.bbox);
    if (personBoxes.length > 0) {
      const pd = await personDetector();
      const inOriginal = matchTargets(personBoxes, await pd.detect(original), 'iou50');
      const inAnonymized = matchTargets(personBoxes, await pd.detect(anonymized), 'iou50');
      ours.forEach((id, k) => persons.push({ sampleId: sample.id, instanceId: id, box: personBoxes[k]!, detectedOriginal: inOriginal[k]! >= 0, detectedAnonymized: inAnonymized[k]! >= 0 }));
    }
  }

  try {
    const anonymized: [Sample, ImageRecord][] = [];
    for (const sample of ds.samples) {
      const record = copy.images.get(sample.id);
      if (copy.errors.has(sample.id)) images.failed++;
      else if (!record) images.missing++;
      else if (record.regions === 0 || record.action !== 'anonymized') images.untouched++;
      else anonymized.push([sample, record]);
    }
    images.anonymized = anonymized.length;
    const chosen = evenlySpaced(anonymized.length, o.maxImages);
    images.measured = chosen.length;
    let done = 0;
    for (const i of chosen) {
      await measure(...anonymized[i]!);
      o.onProgress?.(++done, chosen.length);
    }

    const baseCos: number[] = [];
    const baseSim: number[] = [];
    const baseMatch: boolean[] = [];
    for (const [i, j] of pairs(originalDescriptors.length, maxPairs)) {
      const a = originalDescriptors[i]!;
      const b = originalDescriptors[j]!;
      baseCos.push(cosineSimilarity(a, b));
      baseSim.push(humanSimilarity(a, b));
      baseMatch.push(humanMatch(a, b));
    }

    const tau = quantile(baseCos, CALIBRATED_QUANTILE);
    const calibrated = {
      threshold: tau,
      quantile: CALIBRATED_QUANTILE,
      matched: tau === null ? share([]) : share(faces.map((f) => f.cosine > tau)),
      baseline: tau === null ? share([]) : share(baseCos.map((c) => c > tau)),
    };
    const coloured = regions.filter((r) => !r.achromatic);

    const loaded = await Promise.all([models.faceDetector, models.embedder, models.persons].map((p) => p?.catch(() => undefined)));
    const backend = loaded.find((m) => m)?.backend ?? null;
    const detectorInfo: ModelInfo = {
      name: 'BlazeFace (MediaPipe, short-range 256x256 "back" model)',
      file: `@vladmandic/human ${humanVersion()} models/blazeface.json`,
      origin: "MediaPipe face detection (Google), tfjs conversion shipped in @vladmandic/human; run by lib/regions' detector",
      licence: '@vladmandic/human: MIT; MediaPipe: Apache-2.0',
      io: "lib/regions/detector.ts: square windows resampled to 256x256, RGB in [-1, 1], 896 anchors, score >= 0.5, NMS IoU > 0.3",
    };
    return {
      schema: PRIVACY_SCHEMA,
      copy: {
        dir: copy.dir,
        dataset: cfg.dataset.name,
        split: cfg.dataset.split,
        region: String(cfg.region.kind),
        method: cfg.method,
        params: cfg.params,
        configHash: copy.header.configHash,
        complete: copy.finished && images.failed === 0 && images.missing === 0,
      },
      images,
      models: {
        faceRecognition: { ...faceEmbeddingModelInfo(), threshold: `Human match.similarity > ${HUMAN_MATCH_THRESHOLD} (default options; about a Euclidean descriptor distance < 10)`, thresholdSource: HUMAN_THRESHOLD_SOURCE },
        faceDetector: detectorInfo,
        personDetector: personDetectorInfo(),
        backend,
      },
      pixelIndependence: await pixelIndependence(cfg.method),
      faceReidentification: {
        faces: person === 'face' ? 'the face regions the copy anonymized' : 'the face regions (lib/regions) of the persons whose bodies the copy anonymized',
        n: faces.length,
        cosine: distribution(faces.map((f) => f.cosine)),
        humanSimilarity: distribution(faces.map((f) => f.humanSimilarity)),
        matched: share(faces.map((f) => f.matched)),
        baseline: { pairs: baseCos.length, cosine: distribution(baseCos), humanSimilarity: distribution(baseSim), matched: share(baseMatch) },
        calibrated,
      },
      faceDetectability: { n: faces.length, rule: FACE_DETECTABILITY_RULE, original: share(faces.map((f) => f.detectedOriginal)), anonymized: share(faces.map((f) => f.detectedAnonymized)) },
      appearanceLeak: {
        n: coloured.length,
        regions: person === 'body' ? 'the anonymized body regions (dilated person masks)' : 'the anonymized face regions (face boxes)',
        metric: APPEARANCE_METRIC,
        bhattacharyya: distribution(coloured.map((r) => r.bhattacharyya!)),
        achromatic: regions.length - coloured.length,
      },
      personDetectability: { n: persons.length, rule: `CenterNet person detections; ${MATCH_RULES.iou50} (the person's annotated box)`, original: share(persons.map((p) => p.detectedOriginal)), anonymized: share(persons.map((p) => p.detectedAnonymized)) },
      records: { faces, persons, regions },
    };
  } finally {
    for (const p of [models.faceDetector, models.embedder, models.persons]) (await p?.catch(() => undefined))?.dispose();
  }
}
