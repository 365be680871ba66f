// Face-recognition embeddings for the re-identification figure: how recognisable a face still is
// after anonymization, as the face-recognition model of the installed npm package
// @vladmandic/human sees it (no download: models/faceres.{json,bin} ship in the package).
//
// Model: "faceres", HSE-FaceRes (github.com/HSE-asavchenko/HSE_FaceRec_tf, by A. Savchenko): a
// MobileNet whose features were trained for face identification on VGGFace2, with age and gender
// heads; converted to a tfjs graph model by V. Mandic and shipped in @vladmandic/human (package
// licence MIT; the upstream repository states no licence). Its descriptor is the 1024 values of
// the node global_pooling/Mean (Human's src/face/faceres.ts reads the output of width 1024).
//
// Input, as Human builds it (src/face/facemesh.ts, facemeshutil.ts, faceres.ts, config defaults
// face.detector.scale 1.4, rotation false, mesh on): the face box, enlarged 1.4 times about its
// centre and made square with the larger side (corners rounded), cut from the image with
// tf.image.cropAndResize (bilinear, box normalised by the image width and height, outside pixels
// 0) to the face-mesh input of 192 x 192, then tf.image.resizeBilinear to 224 x 224; RGB 0..255
// (Human divides by 255 after the crop and multiplies by 255 before faceres: left out, the same
// values). Human finds the box with its BlazeFace; here the box is the face region's (an
// annotation, head keypoints, or lib/regions' BlazeFace, which is Human's BlazeFace model), so
// the crop is the one Human would take around that face. No rotation correction (Human's
// default).
//
// Similarity: the cosine of the two descriptors, and Human's own `match.similarity` with its
// default options (src/face/match.ts: order 2, multiplier 25, min 0.2, max 0.8): distance =
// round(100 * 25 * sum (a_i - b_i)^2) / 100, similarity = clamp((1 - sqrt(distance) / 100 - 0.2) /
// 0.6, 0, 1) rounded to 2 decimals (1 when the distance is 0). Its match rule is similarity >
// 0.5: match.ts documents the default normalisation as "similarity above 0.5 can be considered a
// match", and the package's face-ID demo (demo/faceid/index.ts) accepts a face when
// `res.similarity > options.threshold` with threshold 0.5. similarity > 0.5 is the same as a
// Euclidean distance between the descriptors below 10 (up to the rounding to 2 decimals).
// Human documents no threshold on the cosine, so the cosine is reported as a distribution.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Image } from '../data/image.ts';
import type { Box } from '../data/types.ts';
import { humanModelDir, loadSquareInputModel } from '../nn/graph-model-files.ts';
import { modelBackend, type ModelBackend } from '../nn/runtime/start.ts';
import { imageTensor } from './image-tensor.ts';

/** Human's face box enlargement before the crop (config face.detector.scale). */
export const FACE_CROP_SCALE = 1.4;
/** The face-mesh input size Human cuts the face to first. */
export const FACE_MESH_SIZE = 192;
/** faceres' input size. */
export const FACE_INPUT_SIZE = 224;
export const FACE_EMBEDDING_SIZE = 1024;
const EMBEDDING_NODE = 'global_pooling/Mean';

/** Human's match rule: match.similarity(a, b) > HUMAN_MATCH_THRESHOLD. */
export const HUMAN_MATCH_THRESHOLD = 0.5;

/** The version of the installed @vladmandic/human (its package.json next to models/). */
export function humanVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(humanModelDir()), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export interface ModelInfo {
  name: string;
  /** Where the weights are read from. */
  file: string;
  origin: string;
  licence: string;
  /** What the model reads and returns, in one line. */
  io: string;
}

export function faceEmbeddingModelInfo(): ModelInfo {
  return {
    name: 'faceres (HSE-FaceRes)',
    file: `@vladmandic/human ${humanVersion()} models/faceres.json`,
    origin: 'github.com/HSE-asavchenko/HSE_FaceRec_tf (MobileNet face-identification features trained on VGGFace2, age/gender heads), tfjs conversion by V. Mandic shipped in @vladmandic/human',
    licence: '@vladmandic/human: MIT; upstream HSE_FaceRec_tf: no licence stated',
    io: `face box x${FACE_CROP_SCALE} squared, cropAndResize ${FACE_MESH_SIZE} then resizeBilinear ${FACE_INPUT_SIZE}, RGB 0..255 -> ${FACE_EMBEDDING_SIZE}-d ${EMBEDDING_NODE}`,
  };
}

export const HUMAN_THRESHOLD_SOURCE =
  "@vladmandic/human src/face/match.ts (default options: 'similarity above 0.5 can be considered a match') and demo/faceid/index.ts (match when similarity > threshold 0.5)";

/** Corner box [x0, y0, x1, y1] (image pixels) Human cuts for a face with box [x, y, w, h]. */
export function faceCropBox(box: Box): [number, number, number, number] {
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const half = (FACE_CROP_SCALE * Math.max(box[2], box[3])) / 2;
  return [Math.round(cx - half), Math.round(cy - half), Math.round(cx + half), Math.round(cy + half)];
}

/** Cosine of the angle between two descriptors (0 when either is all zeros). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosineSimilarity: descriptors of ${a.length} and ${b.length} values`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** @vladmandic/human's match.similarity(a, b) with its default options (see the header). */
export function humanSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`humanSimilarity: descriptors of ${a.length} and ${b.length} values`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  const distance = Math.round(100 * 25 * sum) / 100;
  if (distance === 0) return 1;
  const norm = (1 - Math.sqrt(distance) / 100 - 0.2) / (0.8 - 0.2);
  return Math.round(100 * Math.max(0, Math.min(1, norm))) / 100;
}

/** Human's match rule. */
export function humanMatch(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return humanSimilarity(a, b) > HUMAN_MATCH_THRESHOLD;
}

export interface FaceEmbedder {
  readonly info: ModelInfo;
  readonly backend: string;
  /** One descriptor per face box ([x, y, w, h], image pixels) of `img`. */
  /** Read with data() (webgpu in Node reads asynchronously only). */
  embed(img: Image, boxes: readonly Box[]): Promise<Float32Array[]>;
  dispose(): void;
}

export interface FaceEmbedderOptions {
  /** Folder holding faceres.json and its shards (default: @vladmandic/human's models/). */
  modelDir?: string;
  backend?: ModelBackend;
  /** Most faces per model call (default 8). */
  maxBatch?: number;
}

export async function loadFaceEmbedder(opts: FaceEmbedderOptions = {}): Promise<FaceEmbedder> {
  const backend = await modelBackend('the faceres face-recognition model', opts.backend);
  const jsonPath = path.join(opts.modelDir ?? humanModelDir(), 'faceres.json');
  const model = await loadSquareInputModel(jsonPath, FACE_INPUT_SIZE);
  const maxBatch = opts.maxBatch ?? 8;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be an integer >= 1, got ${maxBatch}`);
  const info = faceEmbeddingModelInfo();
  return {
    info,
    backend,
    async embed(img, boxes) {
      if (boxes.length === 0) return [];
      const out: Float32Array[] = [];
      const image = imageTensor(img);
      try {
        for (let start = 0; start < boxes.length; start += maxBatch) {
          const chunk = boxes.slice(start, start + maxBatch);
          const norm = chunk.map((b) => {
            const [x0, y0, x1, y1] = faceCropBox(b);
            return [y0 / img.height, x0 / img.width, y1 / img.height, x1 / img.width];
          });
          const desc = tf.tidy(() => {
            const crops = tf.image.cropAndResize(image, tf.tensor2d(norm, [chunk.length, 4]), tf.zeros([chunk.length], 'int32'), [FACE_MESH_SIZE, FACE_MESH_SIZE], 'bilinear', 0);
            const input = tf.image.resizeBilinear(crops, [FACE_INPUT_SIZE, FACE_INPUT_SIZE], false);
            return model.execute(input, EMBEDDING_NODE) as tf.Tensor;
          });
          const data = (await desc.data()) as Float32Array;
          const width = desc.shape[1];
          desc.dispose();
          if (width !== FACE_EMBEDDING_SIZE || data.length !== chunk.length * FACE_EMBEDDING_SIZE) {
            throw new Error(`${jsonPath}: ${EMBEDDING_NODE} gave shape [${desc.shape.join(', ')}] for ${chunk.length} faces, expected [${chunk.length}, ${FACE_EMBEDDING_SIZE}]`);
          }
          for (let k = 0; k < chunk.length; k++) out.push(data.slice(k * FACE_EMBEDDING_SIZE, (k + 1) * FACE_EMBEDDING_SIZE));
        }
      } finally {
        image.dispose();
      }
      return out;
    },
    dispose() {
      model.dispose();
    },
  };
}
