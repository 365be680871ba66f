// One image of a dataset anonymized in memory, as the dataset runner (runner.ts, process-image.ts)
// would anonymize it with the same options: the same regions (computeRegions with the runner's
// region options; the face detector loaded only when detectorNeeded says a person needs it),
// the same anonymizer by name, the same per-image random stream (seed, sample id), an alpha
// channel kept as it is. For looking at one image under one method (notebooks, galleries)
// without writing a copy of the dataset.
import { join } from 'node:path';
import { decodeImage, type Image } from '../data/image.ts';
import { DataError, type Dataset, type Sample } from '../data/types.ts';
import type { Dilation } from '../regions/body.ts';
import { DEFAULT_CATEGORIES } from '../regions/candidates.ts';
import type { FaceDetector } from '../regions/face-detector.ts';
import type { InstanceRecord, Region } from '../regions/region.ts';
import { computeRegions, detectorNeeded } from '../regions/regions.ts';
import { checkRegionSelection, type RegionSelection } from '../regions/selection.ts';
import { realisticPlateProblem } from './realistic/plate-generator.ts';
import { createAnonymizer, resolveAnonymizerParams, type Anonymizer } from './anonymizer.ts';
import { regionOptions, withAlphaKept } from './process-image.ts';
import type { RegionConfig } from './provenance.ts';
import { imageRng } from './rng.ts';

export interface SampleAnonymizeOptions {
  /** 'face', 'body', 'plate', 'face+plate' or 'body+plate'. */
  region: RegionSelection;
  method: string;
  /** Method parameters (defaults filled in by the method). */
  params?: Record<string, unknown>;
  /** Categories to anonymize (default ['person']; the runner's default is the manifest's `anonymize`). */
  categories?: readonly string[];
  /** Body regions: 'dp2' (default) or a disk radius in pixels. */
  dilation?: Dilation;
  /** Skip instances whose DP2 body crop is below minSize^2 (default 0). */
  minSize?: number;
  requireKeypoints?: boolean;
  /** Face regions: detector for persons without a face box or head keypoints (default 'blazeface'). */
  faceDetector?: 'blazeface' | 'none';
  /** Seed of the image's random stream (default 0, as the runner's). */
  seed?: number;
  /** The decoded image of the sample, when the caller has it (default: read from the dataset). */
  image?: Image;
  /** An anonymizer made by createAnonymizer for `method` and `params`, reused across images (not disposed here). */
  anonymizer?: Anonymizer;
}

export interface SampleAnonymizeResult {
  sample: Sample;
  /** The input image as decoded. */
  original: Image;
  /** The anonymized image (same size and channels). */
  image: Image;
  regions: Region[];
  records: InstanceRecord[];
  method: string;
  /** Parameters with defaults filled in. */
  params: Record<string, unknown>;
}

/** A sample of `ds` by index, by id, or as given. */
export function pickSample(ds: Dataset, which: Sample | string | number): Sample {
  if (typeof which === 'object') return which;
  const s = typeof which === 'number' ? ds.samples[which] : ds.samples.find((x) => x.id === which);
  if (!s) throw new DataError(ds.root, `split ${ds.split}`, 'sample', `no sample ${typeof which === 'number' ? `at index ${which} (${ds.samples.length} samples)` : `with id '${which}'`}`);
  return s;
}

/** The decoded image of a sample of `ds`. */
export function readSampleImage(ds: Dataset, sample: Sample): Promise<Image> {
  return decodeImage(join(ds.root, sample.file));
}

export async function anonymizeSample(ds: Dataset, which: Sample | string | number, o: SampleAnonymizeOptions): Promise<SampleAnonymizeResult> {
  const sample = pickSample(ds, which);
  const original = o.image ?? (await readSampleImage(ds, sample));
  if (original.width !== sample.width || original.height !== sample.height) {
    throw new DataError(sample.file, `sample ${sample.id}`, 'image', `decoded image is ${original.width}x${original.height}, the annotation says ${sample.width}x${sample.height}`);
  }
  const kind = checkRegionSelection(o.region);
  const cfg: RegionConfig = {
    kind,
    categories: [...(o.categories ?? DEFAULT_CATEGORIES)],
    dilation: o.dilation ?? 'dp2',
    minSize: o.minSize ?? 0,
    requireKeypoints: o.requireKeypoints ?? false,
    detector: o.faceDetector ?? 'blazeface',
  };
  let detector: Promise<FaceDetector> | undefined;
  const loadDetector = () => (detector ??= import('../regions/detector.ts').then((m) => m.loadFaceDetector()));
  // a realistic method without a plate generator is refused before its generator is loaded
  const noPlates = realisticPlateProblem(o.method, o.anonymizer?.params ?? (await resolveAnonymizerParams(o.method, o.params ?? {})), kind);
  if (noPlates) throw new Error(noPlates);
  const anonymizer = o.anonymizer ?? (await createAnonymizer(o.method, o.params ?? {}));
  try {
    if (anonymizer.method !== o.method) throw new Error(`the anonymizer given is for '${anonymizer.method}', the method asked for is '${o.method}'`);
    const opts = regionOptions(cfg);
    const useDetector = cfg.detector !== 'none' && detectorNeeded(sample, opts);
    const found = await computeRegions(sample, original, { ...opts, detector: useDetector ? await loadDetector() : undefined });
    const image = await withAlphaKept(original, (colour) => anonymizer.apply(colour, found.regions, imageRng(o.seed ?? 0, sample.id)));
    return { sample, original, image, regions: found.regions, records: found.records, method: anonymizer.method, params: anonymizer.params };
  } finally {
    if (!o.anonymizer) await anonymizer.dispose();
    if (detector) (await detector.catch(() => undefined))?.dispose();
  }
}
