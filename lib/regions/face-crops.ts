// Where to look for faces with a short-range detector, and the detections of one image.
//
// BlazeFace finds faces that fill a good part of its 256x256 input, so on a street scene it is
// run on the head area of each person rather than on the whole frame: a square of side
// 1.25 * s, s = min(box width, box height), centred horizontally on the person's box and
// starting 0.125 * s above its top (for an upright person: the head and shoulders with a
// margin; for a close-up, where the box is about as wide as tall, most of the box). Persons
// whose s is below MIN_CROP_SIDE pixels get no crop (their face would be a pixel or two).
// A pass over the whole image (padded to a square) is added for large faces. Detections of
// all passes are merged by greedy NMS (IoU > 0.3), highest score first, so a face seen in two
// overlapping windows is kept once.
import type { Image } from '../data/image.ts';
import type { Corners } from './dp2-crop.ts';
import { DEFAULT_NMS_IOU, type FaceDetection, type FaceDetector } from './detector.ts';
import { nms } from './nms.ts';
import type { SquareWindow } from './square-input.ts';

export const MIN_CROP_SIDE = 8;

/** The head window of a person whose mask has the tight corner box `c`, or null when too small. */
export function headWindow(c: Corners): SquareWindow | null {
  const s = Math.min(c[2] - c[0], c[3] - c[1]);
  if (!(s >= MIN_CROP_SIDE)) return null;
  const side = 1.25 * s;
  return { ox: (c[0] + c[2]) / 2 - side / 2, oy: c[1] - 0.125 * s, side };
}

export interface ImageDetectOptions {
  scoreThreshold?: number;
  /** Also run one pass over the whole image (default true). */
  fullImage?: boolean;
}

/** Face detections of one image: a whole-image pass plus one pass per window, merged by NMS. */
export function detectFaces(detector: FaceDetector, img: Image, windows: readonly SquareWindow[], opts: ImageDetectOptions = {}): FaceDetection[] {
  const all: FaceDetection[] = [];
  const o = { scoreThreshold: opts.scoreThreshold };
  if (opts.fullImage ?? true) all.push(...detector.detect(img, o));
  for (const w of windows) all.push(...detector.detect(img, { ...o, window: w }));
  const boxes = all.map((d, i) => ({ x0: d.box[0], y0: d.box[1], x1: d.box[0] + d.box[2], y1: d.box[1] + d.box[3], score: d.score, i }));
  return nms(boxes, DEFAULT_NMS_IOU).map((b) => all[b.i]);
}
