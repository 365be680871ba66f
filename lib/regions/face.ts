// Face regions (paper Sec. 3.1, "Face Region"): per candidate person, the face box, taken
// from, in this order:
// 1. 'annotation': Instance.faceBox, when the dataset has face boxes;
// 2. 'keypoints': a box built from the labelled head keypoints (face-keypoints.ts);
// 3. 'detector': a face detection that can be this person's face (head.ts): its centre lies
//    in the person's head part (the top quarter of the mask, or around its head keypoints),
//    it is not wider than 1.5 x that part, it touches the mask; one face per person, one person
//    per face (greedy, nearest to the expected head centre first). The matching runs over all
//    candidate persons, so a detection claimed by a person that already has a face from 1. or
//    2. is not handed to a neighbour; only matches of persons without such a face are used.
//    A detection in nobody's head part is dropped (never given to a person whose mask it
//    merely overlaps: the paper's plain IoU > 1% matching gave chests and backgrounds away
//    as faces on street photos).
// 4. 'estimated-head': no face from 1.-3. and the person at least MIN_FACE_PERSON_HEIGHT (32)
//    pixels tall: the mask's top rows, slightly dilated (head.ts estimatedHead). The region is
//    the head as the mask shows it, not a face box: we do not know where the face is, only
//    where the head must be.
// A person with none of these (below 32 px tall) is skipped, the reason naming what was
// missing (NO_FACE, NO_FACE_NO_DETECTOR); a record says 'anonymized' only for a region that
// is in the output, and its `source` says which of 1.-4. it came from.
//
// Regions 1.-3. are the face box itself, not intersected with the person's mask: the paper
// defines the face region as the WIDER FACE box (forehead, chin, cheeks), and DP2's
// FaceDetection masks the whole box in the crop it generates. As in DP2 (anonymize_faces.py:
// `torch.tensor(boxes).round().long()`), the box corners are rounded to integers (half to
// even, torch.round), here after clipping to the image; the mask is that pixel rectangle
// (frBbox of the integer box). The crop box is DP2's FDF face crop (fdf-crop.ts), for an
// estimated head that of the region's tight box.
import type { Box, Sample } from '../data/types.ts';
import { frBbox, toBbox } from '../data/masks/index.ts';
import { roundHalfEven } from '../data/round-half-even.ts';
import { isCandidate, selectCandidates, type Candidate, type CandidateOptions } from './candidates.ts';
import { cornersToBox, type Corners } from './dp2-crop.ts';
import { faceBoxFromKeypoints } from './face-keypoints.ts';
import { fdfFaceCrop } from './fdf-crop.ts';
import { estimatedHead, headPart, matchFacesToHeads, MIN_FACE_PERSON_HEIGHT, tallEnoughForFace } from './head.ts';
import type { InstanceRecord, Region, SampleRegions } from './region.ts';

export type FaceSource = 'annotation' | 'keypoints' | 'detector' | 'estimated-head';

/** The detector ran, found no face in the person's head part, and the person is too small for an estimated head. */
export const NO_FACE = `no face box, no head keypoints, no detection matched in the head; below ${MIN_FACE_PERSON_HEIGHT} px tall, head not estimated`;
/** No detector was run, and the person is too small for an estimated head. */
export const NO_FACE_NO_DETECTOR = `no face box, no head keypoints, no detector; below ${MIN_FACE_PERSON_HEIGHT} px tall, head not estimated`;
export const FACE_OUTSIDE = 'face box outside the image';

export interface FaceOptions extends CandidateOptions {
  /**
   * Face detections of the sample's image ([x, y, w, h] in image pixels, score), already
   * thresholded; undefined when no detector is used.
   */
  detections?: readonly { box: Box; score: number }[];
  /**
   * Persons without a face from annotation, keypoints or detector, at least
   * MIN_FACE_PERSON_HEIGHT px tall, get the estimated head region (default true).
   */
  estimateHeads?: boolean;
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
    const parts = cands.map((c) => headPart(c.inst, c.tight, sample.height));
    const m = matchFacesToHeads(
      opts.detections,
      parts,
      cands.map((c) => c.inst.mask),
    );
    for (const x of m) matched.set(cands[x.person], opts.detections[x.detection]);
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
    if ((box === null || source === null) && (opts.estimateHeads ?? true) && tallEnoughForFace(e.tight)) {
      const mask = estimatedHead(e.inst.mask, e.tight);
      if (mask) {
        const b = toBbox(mask);
        const region: Region = {
          sampleId: sample.id,
          instanceId: e.inst.id,
          kind: 'face',
          mask,
          box: b,
          cropBox: cornersToBox(fdfFaceCrop([b[0], b[1], b[0] + b[2], b[1] + b[3]], sample.width, sample.height)),
          source: 'estimated-head',
        };
        if (e.inst.keypoints) region.keypoints = e.inst.keypoints.slice();
        regions.push(region);
        records.push({ instanceId: e.inst.id, kind: 'face', status: 'anonymized', source: 'estimated-head' });
        continue;
      }
    }
    if (box === null || source === null) {
      let reason = opts.detections ? NO_FACE : NO_FACE_NO_DETECTOR;
      if (tallEnoughForFace(e.tight)) reason = reason.replace(/;.*$/, (opts.estimateHeads ?? true) ? '; estimated head empty' : '; head estimation off');
      records.push({ instanceId: e.inst.id, kind: 'face', status: 'skipped', reason });
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
