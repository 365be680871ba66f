// Face regions (paper Sec. 3.1, "Face Region"): per candidate person, the face box, taken
// from, in this order:
// 1. 'annotation': Instance.faceBox, when the dataset has face boxes;
// 2. 'keypoints': a box built from the labelled head keypoints (face-keypoints.ts);
// 3. 'detector': a face detection matched one-to-one to the person masks (match.ts, the
//    paper's greedy IoU > 1% matching of DSFD boxes to segmentations). The matching runs over
//    all candidate persons, so a detection claimed by a person that already has a face from
//    1. or 2. is not handed to a neighbour; only matches of persons without such a face are used.
// A person with none of these is skipped ('no face box, no head keypoints, no detection
// matched', or '... no detector' when no detections were given).
//
// The region is the face box itself, not intersected with the person's mask: the paper defines
// the face region as the WIDER FACE box (forehead, chin, cheeks), and DP2's FaceDetection
// masks the whole box in the crop it generates. As in DP2 (anonymize_faces.py:
// `torch.tensor(boxes).round().long()`), the box corners are rounded to integers (half to
// even, torch.round), here after clipping to the image; the mask is that pixel rectangle
// (frBbox of the integer box). The crop box is DP2's FDF face crop (fdf-crop.ts).
import type { Box, Sample } from '../data/types.ts';
import { frBbox, toBbox } from '../data/masks/index.ts';
import { roundHalfEven } from '../data/round-half-even.ts';
import { isCandidate, selectCandidates, type Candidate, type CandidateOptions } from './candidates.ts';
import { cornersToBox, type Corners } from './dp2-crop.ts';
import { faceBoxFromKeypoints } from './face-keypoints.ts';
import { fdfFaceCrop } from './fdf-crop.ts';
import { MATCH_IOU_THRESHOLD, matchDetectionsToMasks } from './match.ts';
import type { InstanceRecord, Region, SampleRegions } from './region.ts';

export type FaceSource = 'annotation' | 'keypoints' | 'detector';

export const NO_FACE = 'no face box, no head keypoints, no detection matched';
export const NO_FACE_NO_DETECTOR = 'no face box, no head keypoints, no detector';
export const FACE_OUTSIDE = 'face box outside the image';

export interface FaceOptions extends CandidateOptions {
  /**
   * Face detections of the sample's image ([x, y, w, h] in image pixels, score), already
   * thresholded; undefined when no detector is used.
   */
  detections?: readonly { box: Box; score: number }[];
  /** IoU a detection needs with a person mask to match it (strictly greater), default 0.01. */
  matchIouThreshold?: number;
}


/** Integer corners of a face box clipped to the image, or null when nothing is left. */
export function faceCorners(box: Box, width: number, height: number): Corners | null {
  const clip = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
  const x0 = roundHalfEven(clip(box[0], width));
  const y0 = roundHalfEven(clip(box[1], height));
  const x1 = roundHalfEven(clip(box[0] + box[2], width));
  const y1 = roundHalfEven(clip(box[1] + box[3], height));
  return x1 > x0 && y1 > y0 ? [x0, y0, x1, y1] : null;
}

/** Candidates that need a detector: neither a face box nor a keypoint face. */
export function needsDetector(sample: Sample, c: Candidate): boolean {
  return !c.inst.faceBox && !(c.inst.keypoints && faceBoxFromKeypoints(c.inst.keypoints, sample.width, sample.height));
}

/** Face regions and per-instance records for one sample, in instance order. */
export function faceRegions(sample: Sample, opts: FaceOptions = {}): SampleRegions {
  const entries = selectCandidates(sample, opts);
  const cands = entries.filter(isCandidate);
  // detector matches over all candidate masks
  const matched = new Map<Candidate, { box: Box; score: number }>();
  if (opts.detections && opts.detections.length > 0 && cands.length > 0) {
    const m = matchDetectionsToMasks(
      opts.detections,
      cands.map((c) => c.inst.mask),
      opts.matchIouThreshold ?? MATCH_IOU_THRESHOLD,
    );
    for (const x of m) matched.set(cands[x.mask], opts.detections[x.detection]);
  }
  const regions: Region[] = [];
  const records: InstanceRecord[] = [];
  for (const e of entries) {
    if (!isCandidate(e)) {
      records.push({ instanceId: e.inst.id, kind: 'face', status: 'skipped', reason: e.skip });
      continue;
    }
    let box: Box | null = null;
    let source: FaceSource | null = null;
    if (e.inst.faceBox) {
      box = e.inst.faceBox;
      source = 'annotation';
    } else {
      const kb = e.inst.keypoints ? faceBoxFromKeypoints(e.inst.keypoints, sample.width, sample.height) : null;
      if (kb) {
        box = kb;
        source = 'keypoints';
      } else {
        const d = matched.get(e);
        if (d) {
          box = d.box;
          source = 'detector';
        }
      }
    }
    if (box === null || source === null) {
      records.push({ instanceId: e.inst.id, kind: 'face', status: 'skipped', reason: opts.detections ? NO_FACE : NO_FACE_NO_DETECTOR });
      continue;
    }
    const c = faceCorners(box, sample.width, sample.height);
    if (c === null) {
      records.push({ instanceId: e.inst.id, kind: 'face', status: 'skipped', reason: FACE_OUTSIDE });
      continue;
    }
    const mask = frBbox(cornersToBox(c), sample.height, sample.width);
    const region: Region = {
      sampleId: sample.id,
      instanceId: e.inst.id,
      kind: 'face',
      mask,
      box: toBbox(mask),
      cropBox: cornersToBox(fdfFaceCrop(c, sample.width, sample.height)),
      source,
    };
    if (e.inst.keypoints) region.keypoints = e.inst.keypoints.slice();
    regions.push(region);
    records.push({ instanceId: e.inst.id, kind: 'face', status: 'anonymized', source });
  }
  return { regions, records };
}
