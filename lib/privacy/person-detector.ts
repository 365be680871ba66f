// A pretrained person detector for the detectability figure: CenterNet (Zhou et al. 2019,
// "Objects as Points") on MobileNetV3, trained on COCO 2017 (80 classes) by
// github.com/610265158/mobilenetv3_centernet, shipped as a tfjs graph model in the npm package
// @vladmandic/human (models/centernet.{json,bin}; package licence MIT, the upstream weights state
// no separate licence). The same weights are the frozen encoder of the instance models
// (lib/nn/pretrained-encoder.ts); here the whole detector runs, as Human runs it.
//
// Pre- and post-processing as Human's src/object/centernet.ts: the image (RGB 0..255, float) is
// resized with tf.image.resizeBilinear to the model's 512 x 512 input (not keeping the aspect
// ratio; alignCorners false); the output tower_0/detections is [1, 100, 6]: x1, y1, x2, y2 in
// input pixels, score, class index (0 = person, Human's src/object/labels.ts); boxes are scaled
// back by width / 512 and height / 512. Human's defaults (config.object) keep detections with
// score >= 0.2 and apply NMS at IoU 0.4; here the same thresholds, with two differences stated:
// only the person class is kept, and NMS runs among persons only (Human's is class-agnostic, so
// a bicycle's box could suppress its rider), and up to all 100 of the model's detections are
// kept (Human's maxDetected default is 10, too few for a street scene).
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import type { Image } from '../data/image.ts';
import type { Box } from '../data/types.ts';
import { humanModelDir, loadSquareInputModel } from '../nn/graph-model-files.ts';
import { nms } from '../regions/nms.ts';
import { modelBackend, type ModelBackend } from '../nn/runtime/start.ts';
import { humanVersion, type ModelInfo } from './face-embedding.ts';
import { imageTensor } from './image-tensor.ts';

export const CENTERNET_INPUT = 512;
/** Human's config.object.minConfidence. */
export const PERSON_SCORE_THRESHOLD = 0.2;
/** Human's config.object.iouThreshold. */
export const PERSON_NMS_IOU = 0.4;
/** Class index of 'person' in the model's output (Human's labels[0]). */
export const PERSON_CLASS = 0;
const DETECTIONS_NODE = 'tower_0/detections';

export interface PersonDetection {
  /** [x, y, w, h] in image pixels (not clipped). */
  box: Box;
  score: number;
}

export interface PersonDetector {
  readonly info: ModelInfo;
  readonly backend: string;
  /** Person detections of `img`, highest score first. */
  /** Read with data() (webgpu in Node reads asynchronously only). */
  detect(img: Image): Promise<PersonDetection[]>;
  dispose(): void;
}

export interface PersonDetectorOptions {
  modelDir?: string;
  backend?: ModelBackend;
  scoreThreshold?: number;
  nmsIou?: number;
}

export function personDetectorInfo(): ModelInfo {
  return {
    name: 'CenterNet-MobileNetV3 (COCO)',
    file: `@vladmandic/human ${humanVersion()} models/centernet.json`,
    origin: 'github.com/610265158/mobilenetv3_centernet (COCO 2017 detection, 80 classes), tfjs conversion shipped in @vladmandic/human',
    licence: '@vladmandic/human: MIT; upstream weights: no separate licence stated',
    io: `RGB 0..255 resizeBilinear to ${CENTERNET_INPUT}x${CENTERNET_INPUT} -> ${DETECTIONS_NODE}; class person, score >= ${PERSON_SCORE_THRESHOLD}, NMS IoU > ${PERSON_NMS_IOU} among persons`,
  };
}

/** Decodes tower_0/detections rows (x1, y1, x2, y2, score, class; input pixels) into person boxes of an image of size w x h. */
export function decodeCenternet(rows: ArrayLike<number>, w: number, h: number, scoreThreshold = PERSON_SCORE_THRESHOLD, nmsIou = PERSON_NMS_IOU): PersonDetection[] {
  if (rows.length % 6 !== 0) throw new RangeError(`decodeCenternet: ${rows.length} values are not rows of 6`);
  const sx = w / CENTERNET_INPUT;
  const sy = h / CENTERNET_INPUT;
  const cands: { x0: number; y0: number; x1: number; y1: number; score: number }[] = [];
  for (let r = 0; r < rows.length; r += 6) {
    const score = rows[r + 4]!;
    if (rows[r + 5] !== PERSON_CLASS || !(score >= scoreThreshold)) continue;
    const x0 = rows[r]! * sx;
    const y0 = rows[r + 1]! * sy;
    const x1 = rows[r + 2]! * sx;
    const y1 = rows[r + 3]! * sy;
    if (!(x1 > x0 && y1 > y0)) continue;
    cands.push({ x0, y0, x1, y1, score });
  }
  return nms(cands, nmsIou).map((b) => ({ box: [b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0], score: b.score }));
}

export async function loadPersonDetector(opts: PersonDetectorOptions = {}): Promise<PersonDetector> {
  const backend = await modelBackend('the CenterNet person detector', opts.backend);
  const jsonPath = path.join(opts.modelDir ?? humanModelDir(), 'centernet.json');
  const model = await loadSquareInputModel(jsonPath, CENTERNET_INPUT, '1');
  const thr = opts.scoreThreshold ?? PERSON_SCORE_THRESHOLD;
  const iou = opts.nmsIou ?? PERSON_NMS_IOU;
  return {
    info: personDetectorInfo(),
    backend,
    async detect(img) {
      const out = tf.tidy(() => {
        const image = imageTensor(img);
        const input = tf.image.resizeBilinear(image, [CENTERNET_INPUT, CENTERNET_INPUT], false);
        return model.execute(input, DETECTIONS_NODE) as tf.Tensor;
      });
      const rows = await out.data();
      const s = out.shape;
      out.dispose();
      if (s.length !== 3 || s[2] !== 6) throw new Error(`${jsonPath}: ${DETECTIONS_NODE} has shape [${s.join(', ')}], expected [1, N, 6]`);
      return decodeCenternet(rows, img.width, img.height, thr, iou);
    },
    dispose() {
      model.dispose();
    },
  };
}
