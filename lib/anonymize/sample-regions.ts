// The regions of one sample for the runner: computeRegions (lib/regions/regions.ts), with the
// face detector loaded only when a sample needs it.
//
// regions.ts imports constants from detector.ts, which loads @tensorflow/tfjs (over a second per
// worker thread). So regions.ts itself is imported only when the detector must run; otherwise
// this calls what computeRegions calls for the same options: bodyRegions for bodies, and
// faceRegions with no detections (no detector configured) or an empty list (a detector
// configured, but no candidate person lacks a face box and head keypoints), as computeRegions
// does. test/anonymize/sample-regions.test.ts checks the two agree.
import type { Image } from '../data/image.ts';
import type { Sample } from '../data/types.ts';
import { bodyRegions, checkDilation } from '../regions/body.ts';
import { isCandidate, selectCandidates } from '../regions/candidates.ts';
import type { FaceDetector } from '../regions/detector.ts';
import { faceRegions, needsDetector } from '../regions/face.ts';
import type { SampleRegions } from '../regions/region.ts';
import type { RegionConfig } from './provenance.ts';

/** The candidate-selection and region options of computeRegions, from the run's configuration. */
export function regionOptions(cfg: RegionConfig) {
  return {
    kind: cfg.kind,
    categories: cfg.categories,
    minSize: cfg.minSize,
    requireKeypoints: cfg.requireKeypoints,
    dilation: cfg.dilation,
  };
}

/** Whether the face detector has to look at this sample. */
export function detectorNeeded(sample: Sample, cfg: RegionConfig): boolean {
  if (cfg.kind !== 'face' || cfg.detector === 'none') return false;
  return selectCandidates(sample, regionOptions(cfg)).some((e) => isCandidate(e) && needsDetector(sample, e));
}

/**
 * The sample's regions and per-instance records. `image` and `detector` are called only when
 * the detector must run.
 */
export async function sampleRegions(sample: Sample, cfg: RegionConfig, image: () => Promise<Image>, detector: () => Promise<FaceDetector>): Promise<SampleRegions> {
  const opts = regionOptions(cfg);
  if (cfg.kind === 'body') {
    checkDilation(opts.dilation);
    return bodyRegions(sample, opts);
  }
  if (cfg.kind !== 'face') throw new RangeError(`kind must be 'face' or 'body', got ${String(cfg.kind)}`);
  if (!detectorNeeded(sample, cfg)) return faceRegions(sample, { ...opts, detections: cfg.detector === 'none' ? undefined : [] });
  const [{ computeRegions }, img, det] = await Promise.all([import('../regions/regions.ts'), image(), detector()]);
  return computeRegions(sample, img, { ...opts, detector: det });
}
