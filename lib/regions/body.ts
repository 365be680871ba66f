// Full-body regions (paper Sec. 3.1, "Full-Body Anonymization"): the instance segmentation of
// each candidate person, slightly dilated "following [23]" (DeepPrivacy2). The dilation is a
// disk at image resolution, of DP2's radius for the instance's crop (dilate.ts,
// dp2DilationRadius) or of a fixed radius; the region's crop box is DP2's expanded body box.
import type { Sample } from '../data/types.ts';
import { toBbox } from '../data/masks/index.ts';
import { isCandidate, selectCandidates, type CandidateOptions } from './candidates.ts';
import { cornersToBox } from './dp2-crop.ts';
import { dilate, dp2DilationRadius } from './dilate.ts';
import type { InstanceRecord, Region, SampleRegions } from './region.ts';

/** 'dp2': DP2's per-instance radius; a number: that radius in pixels for every instance (0: none). */
export type Dilation = 'dp2' | number;

export interface BodyOptions extends CandidateOptions {
  /** Default 'dp2'. */
  dilation?: Dilation;
}

export const BODY_SOURCE = 'mask';

export function checkDilation(dilation: Dilation): void {
  if (dilation !== 'dp2' && !(Number.isInteger(dilation) && dilation >= 0)) {
    throw new RangeError(`dilation must be 'dp2' or an integer radius >= 0, got ${String(dilation)}`);
  }
}

/** Body regions and per-instance records for one sample, in instance order. */
export function bodyRegions(sample: Sample, opts: BodyOptions = {}): SampleRegions {
  const dilation = opts.dilation ?? 'dp2';
  checkDilation(dilation);
  const regions: Region[] = [];
  const records: InstanceRecord[] = [];
  for (const e of selectCandidates(sample, opts)) {
    if (!isCandidate(e)) {
      records.push({ instanceId: e.inst.id, kind: 'body', status: 'skipped', reason: e.skip });
      continue;
    }
    const r = dilation === 'dp2' ? dp2DilationRadius(e.crop) : dilation;
    const mask = dilate(e.inst.mask, r);
    const region: Region = {
      sampleId: sample.id,
      instanceId: e.inst.id,
      kind: 'body',
      mask,
      box: toBbox(mask),
      cropBox: cornersToBox(e.crop),
      source: BODY_SOURCE,
      dilation: r,
    };
    if (e.inst.keypoints) region.keypoints = e.inst.keypoints.slice();
    regions.push(region);
    records.push({ instanceId: e.inst.id, kind: 'body', status: 'anonymized', source: BODY_SOURCE });
  }
  return { regions, records };
}
