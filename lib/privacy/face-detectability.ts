// Face detectability: whether a face detector still finds a face where the original face was.
//
// Detector: the one lib/regions uses, MediaPipe's BlazeFace (short-range, 256x256; weights in
// @vladmandic/human models/blazeface.json), with lib/regions' score threshold 0.5 and its NMS.
// No better face detector ships offline in the installed packages (@vladmandic/human's models/
// holds only BlazeFace for faces; @vladmandic/face-api is not installed).
//
// Where it looks, the same for the original and the anonymized image (the windows depend on the
// annotations and the regions only, never on the pixels): one pass over the whole image, the
// head window of each measured person as lib/regions looks for faces (face-crops.ts headWindow:
// persons whose box is at least 12 pixels on its short side), and a square window centred on
// each face region, 3 times its larger side (BlazeFace finds faces that fill about a third to a
// quarter of its input: face-crops.ts measured 38 of 39 real faces found through windows of 2.5
// to 4 face widths). Detections of all passes are merged by lib/regions' NMS (IoU > 0.3).
// Matching: one-to-one, a detection counts for a face region when its centre lies inside the
// region's box (box-match.ts 'centre').
import type { Image } from '../data/image.ts';
import type { Box } from '../data/types.ts';
import type { Corners } from '../regions/dp2-crop.ts';
import { detectFaces, headWindow } from '../regions/face-crops.ts';
import { DEFAULT_SCORE_THRESHOLD, type FaceDetection, type FaceDetector } from '../regions/face-detector.ts';
import type { SquareWindow } from '../regions/square-input.ts';
import { matchTargets } from './box-match.ts';

/** Side of the window centred on a face region, in multiples of the region's larger side. */
export const FACE_WINDOW_SCALE = 3;

export const FACE_DETECTABILITY_RULE =
  "BlazeFace (lib/regions' detector, score >= 0.5) over the whole image, each measured person's head window (lib/regions) and a window 3x each face region's larger side centred on it; found = a detection whose centre lies inside the face region's box, one-to-one greedy by score";

export interface FaceTarget {
  /** The face region's box [x, y, w, h]. */
  box: Box;
  /** Tight corner box of the person's mask, for lib/regions' head window (undefined: none). */
  person?: Corners;
}

/** The windows looked at for `faces` (the whole-image pass is added by detectFaces). */
export function faceWindows(faces: readonly FaceTarget[]): SquareWindow[] {
  const out: SquareWindow[] = [];
  for (const f of faces) {
    if (f.person) {
      const w = headWindow(f.person);
      if (w) out.push(w);
    }
    const side = FACE_WINDOW_SCALE * Math.max(f.box[2], f.box[3]);
    if (side > 0) out.push({ ox: f.box[0] + f.box[2] / 2 - side / 2, oy: f.box[1] + f.box[3] / 2 - side / 2, side });
  }
  return out;
}

/** Face detections of `img` through the whole image and `windows`. */
export function detectFacesIn(detector: FaceDetector, img: Image, windows: readonly SquareWindow[]): Promise<FaceDetection[]> {
  return detectFaces(detector, img, windows, { scoreThreshold: DEFAULT_SCORE_THRESHOLD, fullImage: true });
}

/** For each face, whether a detection of `img` is matched to it. */
export async function facesFound(detector: FaceDetector, img: Image, faces: readonly FaceTarget[]): Promise<boolean[]> {
  if (faces.length === 0) return [];
  const dets = await detectFacesIn(detector, img, faceWindows(faces));
  return matchTargets(
    faces.map((f) => f.box),
    dets,
    'centre',
  ).map((d) => d >= 0);
}
