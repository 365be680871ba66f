// Which instances of a sample are anonymized, and why the others are not (paper Sec. 3.1: "we
// do not anonymize annotations marked as 'crowd' or 'ignored' in the datasets, nor classes that
// often contain a person (e.g. bicycle, motorcycle)"). Only instances of the chosen categories
// are candidates (and get a record); of those, in this order:
// - 'crowd': iscrowd (COCO crowd, Cityscapes group region, BDD100K crowd flag);
// - 'ignored': the ignore flag;
// - 'empty mask': no pixel;
// - 'no keypoints': with requireKeypoints, no labelled keypoint (the paper's COCO set: its
//   149,813 training persons are those with keypoints, which the body generator needs);
// - 'below min size': with minSize > 0, DeepPrivacy2's expanded body crop (dp2-crop.ts) has an
//   area below minSize^2. This is DP2's `include_box` filter (minimum_area = min_size^2 in
//   tools/anonymization/<dataset>/anonymize_body.py --min_size); the paper's ablation "if we do not
//   anonymize any detections < 32^2" (Sec. 4.3, "36% of the instance crops having an area
//   < 32^2") is minSize 32, and the scripts' default minimum_area 8*8 is minSize 8.
import type { Instance, Sample } from '../data/types.ts';
import { DataError } from '../data/types.ts';
import { toBbox } from '../data/masks/index.ts';
import { cropArea, dp2BodyCrop, type Corners } from './dp2-crop.ts';

export const SKIP = {
  crowd: 'crowd',
  ignored: 'ignored',
  empty: 'empty mask',
  noKeypoints: 'no keypoints',
  belowMinSize: 'below min size',
} as const;

export interface CandidateOptions {
  /** Category names to anonymize (the manifest's `anonymize` list); default ['person']. */
  categories?: readonly string[];
  /** Skip instances whose DP2 body crop has an area below minSize^2 (0 = keep all; default 0). */
  minSize?: number;
  /** Skip instances without a labelled keypoint (default false). */
  requireKeypoints?: boolean;
}

export interface Candidate {
  inst: Instance;
  /** Tight corner box [x0, y0, x1, y1) of the mask. */
  tight: Corners;
  /** Mask pixel count. */
  area: number;
  /** DP2's expanded body crop. */
  crop: Corners;
}

/** A candidate instance, or a skipped one with its reason. */
export type Entry = Candidate | { inst: Instance; skip: string };

export const isCandidate = (e: Entry): e is Candidate => !('skip' in e);

export const DEFAULT_CATEGORIES: readonly string[] = ['person'];

function maskArea(inst: Instance): number {
  const c = inst.mask.counts;
  let a = 0;
  for (let j = 1; j < c.length; j += 2) a += c[j];
  return a;
}

/** Every instance of the chosen categories, in instance order: a candidate, or skipped with its reason. */
export function selectCandidates(sample: Sample, opts: CandidateOptions = {}): Entry[] {
  const cats = new Set(opts.categories ?? DEFAULT_CATEGORIES);
  const minSize = opts.minSize ?? 0;
  if (!(minSize >= 0) || !Number.isFinite(minSize)) throw new RangeError(`minSize must be a finite number >= 0, got ${minSize}`);
  const out: Entry[] = [];
  const skip = (inst: Instance, reason: string) => out.push({ inst, skip: reason });
  for (const inst of sample.instances) {
    if (!cats.has(inst.category)) continue;
    if (inst.mask.h !== sample.height || inst.mask.w !== sample.width) {
      throw new DataError(sample.file, `instance ${inst.id}`, 'mask', `mask is ${inst.mask.w}x${inst.mask.h}, the image is ${sample.width}x${sample.height}`);
    }
    if (inst.iscrowd) {
      skip(inst, SKIP.crowd);
      continue;
    }
    if (inst.ignore) {
      skip(inst, SKIP.ignored);
      continue;
    }
    const area = maskArea(inst);
    if (area === 0) {
      skip(inst, SKIP.empty);
      continue;
    }
    if (opts.requireKeypoints) {
      const k = inst.keypoints;
      let any = false;
      if (k) for (let i = 2; i < k.length; i += 3) if (k[i] > 0) any = true;
      if (!any) {
        skip(inst, SKIP.noKeypoints);
        continue;
      }
    }
    const b = toBbox(inst.mask);
    const tight: Corners = [b[0], b[1], b[0] + b[2], b[1] + b[3]];
    const crop = dp2BodyCrop(tight, area, sample.width, sample.height);
    if (minSize > 0 && cropArea(crop) < minSize * minSize) {
      skip(inst, SKIP.belowMinSize);
      continue;
    }
    out.push({ inst, tight, area, crop });
  }
  return out;
}
