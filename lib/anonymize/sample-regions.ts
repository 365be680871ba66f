// The regions of one sample from a run's region configuration: computeRegions, with the image
// decoded and the face detector (tfjs) loaded only when a person needs the detector
// (detectorNeeded, lib/regions/regions.ts), as the runner does it (process-image.ts).
import type { Image } from '../data/image.ts';
import type { Sample } from '../data/types.ts';
import type { FaceDetector } from '../regions/face-detector.ts';
import type { SampleRegions } from '../regions/region.ts';
import { computeRegions, detectorNeeded } from '../regions/regions.ts';
import { regionOptions } from './process-image.ts';
import type { RegionConfig } from './provenance.ts';

/** The sample's regions and per-instance records; `image` and `detector` are called only when the detector must run. */
export async function sampleRegions(sample: Sample, cfg: RegionConfig, image: () => Promise<Image>, detector: () => Promise<FaceDetector>): Promise<SampleRegions> {
  const opts = regionOptions(cfg);
  if (cfg.detector === 'none' || !detectorNeeded(sample, opts)) return computeRegions(sample, undefined, opts);
  return computeRegions(sample, await image(), { ...opts, detector: await detector() });
}
