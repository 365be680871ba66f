// Where to look for faces with a short-range detector, and the detections of one image.
//
// BlazeFace finds faces that fill a good part of its 256x256 input, so on a street scene it is
// run on the head area of each person rather than on the whole frame: a square of side
// 1.25 * s, s = min(box width, box height), centred horizontally on the person's box and
// starting 0.125 * s above its top (for an upright person: the head and shoulders with a
// margin; for a close-up, where the box is about as wide as tall, most of the box).
//
// Persons whose s is below MIN_CROP_SIDE = 12 pixels get no window: their face would be about
// 4 pixels wide or less (the drawn faces of the synthetic persons are about a third of s wide;
// an upright real pedestrian's box, with arms and stride, is wider for its face), and BlazeFace
// finds no real face that small. Measured on the 13 faces of ../shared/data (astronaut,
// coco-mini, ochuman-mini) shrunk with lanczos3 to a face width of f pixels and looked at
// through a head window of s = 2.5, 3 or 4 face widths: found 0 of 39 at f = 2, 3 and 4,
// 5 of 39 at f = 5, 38 of 39 at f = 16. A person whose visible mask is only a head (cut by the
// image border, occluded) has a larger face for its s: below 12 pixels, up to about 8 pixels
// wide; it is not looked for either. The threshold was 8 before; the drawn faces of the
// synthetic dataset are found smaller than real ones: on the train split of `synth --train 48
// --seed 0` (512x256), persons with 8 <= s < 12 have 65 of the 266 head windows, and raising
// the threshold drops 4 of its 81 detector faces (boxes of 6 to 8 pixels over drawn faces 0.6
// to 2.9 pixels wide, and one over a person whose face is not visible).
//
// A pass over the whole image (padded to a square) is added for large faces. Detections of
// all passes are merged by greedy NMS (IoU > 0.3), highest score first, so a face seen in two
// overlapping windows is kept once. The whole image and all windows go to the detector in one
// detectWindows call where it has one (BlazeFace batches them: detector.ts), with the same
// detections as one detect call per window.
import type { Image } from '../data/image.ts';
import type { Corners } from './dp2-crop.ts';
import { DEFAULT_NMS_IOU, type FaceDetection, type FaceDetector } from './face-detector.ts';
import { nms } from './nms.ts';
import type { SquareWindow } from './square-input.ts';

export const MIN_CROP_SIDE = 12;

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
export async function detectFaces(detector: FaceDetector, img: Image, windows: readonly SquareWindow[], opts: ImageDetectOptions = {}): Promise<FaceDetection[]> {
  const o = { scoreThreshold: opts.scoreThreshold };
  const passes: (SquareWindow | undefined)[] = (opts.fullImage ?? true) ? [undefined, ...windows] : [...windows];
  const perPass: FaceDetection[][] = [];
  if (detector.detectWindows) perPass.push(...(await detector.detectWindows(img, passes, o)));
  else for (const w of passes) perPass.push(await detector.detect(img, w ? { ...o, window: w } : o));
  if (perPass.length !== passes.length) throw new Error(`${detector.name}: ${perPass.length} detection lists for ${passes.length} windows`);
  const all: FaceDetection[] = perPass.flat();
  const boxes = all.map((d, i) => ({ x0: d.box[0], y0: d.box[1], x1: d.box[0] + d.box[2], y1: d.box[1] + d.box[3], score: d.score, i }));
  return nms(boxes, DEFAULT_NMS_IOU).map((b) => all[b.i]);
}
