// The regions of one sample: what a dataset runner calls per image.
//
// `kind` is a region selection (selection.ts): a person's part and/or the licence plates, the
// person's regions and records first, then the plates' (plate.ts: the plate boxes).
// kind 'body': bodyRegions (dilated instance masks). kind 'face': faceRegions, with the face
// detector run only when some candidate person has neither a face box nor labelled head
// keypoints (BlazeFace, detector.ts: MediaPipe's model as shipped in the npm package
// @vladmandic/human, MIT, loaded offline); it then looks at the whole image and, for each such person, at upscaled square
// crops around the head: the head window of face-crops.ts (1.25 x the person's narrower side)
// and three crops of 0.75, 1.25 and 2 x the width of the person's head part, centred on the
// expected head (head.ts headWindows; BlazeFace's input is 256x256, so a 30 px head crop is
// upscaled about 8x: a face a few pixels wide in a street photo becomes one it can find).
// Crops narrower than MIN_CROP_SIDE (12 px) are left out. The detections of all passes are
// merged by NMS and accepted for a person only inside its head part (face.ts, head.ts).
// This file does not load tfjs (the detector's interface is in face-detector.ts): a caller loads
// the detector (detector.ts) only when detectorNeeded says a sample needs one.
import type { Image } from '../data/image.ts';
import { DataError, type Sample } from '../data/types.ts';
import { bodyRegions, checkDilation, type Dilation } from './body.ts';
import { isCandidate, selectCandidates, type Candidate, type CandidateOptions } from './candidates.ts';
import { DEFAULT_SCORE_THRESHOLD, type FaceDetection, type FaceDetector } from './face-detector.ts';
import { detectFaces, headWindow, MIN_CROP_SIDE } from './face-crops.ts';
import { headPart, headWindows } from './head.ts';
import { faceRegions, needsDetector } from './face.ts';
import { plateRegions } from './plate.ts';
import type { SampleRegions } from './region.ts';
import { checkRegionSelection, hasPlates, personKind, type RegionSelection } from './selection.ts';
import type { SquareWindow } from './square-input.ts';

export interface RegionOptions extends CandidateOptions {
  /** 'face', 'body', 'plate', 'face+plate' or 'body+plate'. */
  kind: RegionSelection;
  /** Body: 'dp2' (default) or a fixed disk radius in pixels (0: no dilation). */
  dilation?: Dilation;
  /** Face: detector for persons without a face box or head keypoints (none: they are skipped). */
  detector?: FaceDetector;
  /** Face detector score threshold, default 0.5. */
  scoreThreshold?: number;
  /** Face detector: also one pass over the whole image (default true). */
  fullImage?: boolean;
  /** Face: an estimated head region for persons >= 32 px tall without any face found (default true). */
  estimateHeads?: boolean;
}

/** The candidate persons of a sample that the face detector has to look at (no face box, no head keypoints). */
function pendingCandidates(sample: Sample, opts: CandidateOptions): Candidate[] {
  return selectCandidates(sample, opts).filter((e) => isCandidate(e) && needsDetector(sample, e)) as Candidate[];
}

/**
 * Whether computeRegions would run a face detector on this sample: face regions, and some
 * candidate person has neither a face box nor labelled head keypoints. When false, the result
 * of computeRegions is the same with or without `detector` and needs no image, so a caller
 * can leave both out (and load neither).
 */
export function detectorNeeded(sample: Sample, opts: Omit<RegionOptions, 'detector'>): boolean {
  return isFace(opts.kind) && pendingCandidates(sample, opts).length > 0;
}

const isFace = (kind: RegionSelection) => personKind(checkRegionSelection(kind, 'kind')) === 'face';

/**
 * Regions and per-instance records of one sample. `image` (the decoded image of sample.file)
 * is needed only when a face detector has to run.
 */
export async function computeRegions(sample: Sample, image: Image | undefined, opts: RegionOptions): Promise<SampleRegions> {
  const kind = checkRegionSelection(opts.kind, 'kind');
  const person = personKind(kind);
  const persons: SampleRegions = person === 'body' ? bodyOf(sample, opts) : person === 'face' ? await facesOf(sample, image, opts) : { regions: [], records: [] };
  if (!hasPlates(kind)) return persons;
  const plates = plateRegions(sample);
  return { regions: [...persons.regions, ...plates.regions], records: [...persons.records, ...plates.records] };
}

function bodyOf(sample: Sample, opts: RegionOptions): SampleRegions {
  checkDilation(opts.dilation ?? 'dp2');
  return bodyRegions(sample, opts);
}

async function facesOf(sample: Sample, image: Image | undefined, opts: RegionOptions): Promise<SampleRegions> {
  let detections: FaceDetection[] | undefined;
  if (opts.detector) {
    const pending = pendingCandidates(sample, opts);
    detections = [];
    if (pending.length > 0) {
      if (!image) throw new DataError(sample.file, `sample ${sample.id}`, 'image', 'the face detector needs the decoded image, none was given');
      if (image.width !== sample.width || image.height !== sample.height) {
        throw new DataError(sample.file, `sample ${sample.id}`, 'image', `decoded image is ${image.width}x${image.height}, the sample says ${sample.width}x${sample.height}`);
      }
      const windows: SquareWindow[] = [];
      for (const c of pending) {
        const w = headWindow(c.tight);
        if (w) windows.push(w);
        windows.push(...headWindows(headPart(c.inst, c.tight, sample.height), MIN_CROP_SIDE));
      }
      detections = await detectFaces(opts.detector, image, windows, {
        scoreThreshold: opts.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD,
        fullImage: opts.fullImage,
      });
    }
  }
  return faceRegions(sample, { ...opts, detections });
}
