// An offline face detector: MediaPipe's BlazeFace (256x256 "back camera" model) with the
// weights shipped inside the installed npm package @vladmandic/human (models/blazeface.json +
// blazeface.bin), run with @tensorflow/tfjs.
//
// Loading: tf.loadGraphModel with our own IO handler that reads model.json and concatenates
// its weight shards from the package folder (plain tfjs in Node has no file:// loader).
// Backend: tfjs state is global, so a backend someone already started is kept; when none is
// running, wasm is started (its binaries found next to @tensorflow/tfjs-backend-wasm), falling
// back to the pure-JS cpu backend; `backend` forces one (wasm is about ten times faster than
// cpu here: npm run bench:regions).
//
// One pass: a square window of the image is resampled to 256x256 (square-input.ts), the
// model's 896 anchors are decoded (blazeface.ts), candidates below the score threshold are
// dropped, the rest go through greedy NMS (IoU > 0.3 suppressed; MediaPipe blends overlapping
// boxes instead, we keep the best one), and boxes are mapped back to image pixels and clipped
// to the image (as DP2's face detector is run with clip_boxes=True).
//
// The box is BlazeFace's own face box (roughly brows to chin, cheek to cheek), not enlarged.
// BlazeFace is a short-range model: it finds faces that cover a good part of its 256x256
// input. On a photo where the face is large, one pass over the whole image is enough; on
// street scenes faces are a few pixels wide in the full image, so face-crops.ts runs it on
// the upper part of each person's box instead.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Image } from '../data/image.ts';
import type { Box } from '../data/types.ts';
import { BLAZEFACE_ANCHORS, BLAZEFACE_INPUT, BLAZEFACE_REGRESSORS, blazefaceAnchors, decodeBlazeface } from './blazeface.ts';
import { nms } from './nms.ts';
import { squareInput, type SquareWindow } from './square-input.ts';

export interface FaceDetection {
  /** [x, y, w, h] in image pixels, clipped to the image. */
  box: Box;
  score: number;
  /** [x, y] in image pixels: right eye, left eye, nose tip, mouth, right ear, left ear. */
  landmarks?: [number, number][];
}

export interface DetectOptions {
  /** Minimum score (sigmoid of the logit), default DEFAULT_SCORE_THRESHOLD. */
  scoreThreshold?: number;
  /** NMS IoU threshold, default 0.3. */
  iouThreshold?: number;
  /** The square window to look at (default: the whole image, padded to a square around its centre). */
  window?: SquareWindow;
}

export interface FaceDetector {
  /** 'blazeface' */
  readonly name: string;
  /** The tfjs backend the model runs on. */
  readonly backend: string;
  detect(img: Image, opts?: DetectOptions): FaceDetection[];
  dispose(): void;
}

export const DEFAULT_SCORE_THRESHOLD = 0.5;
export const DEFAULT_NMS_IOU = 0.3;

export type DetectorBackend = 'cpu' | 'wasm';

export interface LoadOptions {
  /** Folder holding blazeface.json and its shards (default: @vladmandic/human's models/). */
  modelDir?: string;
  /** Force a tfjs backend; default: keep a running one, else wasm, else cpu. */
  backend?: DetectorBackend;
}

/** The models/ folder of the installed @vladmandic/human package. */
export function humanModelDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@vladmandic/human'); // .../@vladmandic/human/dist/human.node.js
  return path.join(path.dirname(path.dirname(entry)), 'models');
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** A tfjs IO handler reading a graph model's JSON and weight shards from a local folder. */
export function fileModelHandler(jsonPath: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(await readFile(jsonPath, 'utf8')) as Record<string, unknown>;
      } catch (e) {
        throw new Error(`${jsonPath}: cannot read model JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      const manifest = json.weightsManifest as WeightsGroup[] | undefined;
      if (!Array.isArray(manifest) || json.modelTopology === undefined) throw new Error(`${jsonPath}: not a tfjs model JSON (no modelTopology or weightsManifest)`);
      const dir = path.dirname(jsonPath);
      const shards: Buffer[] = [];
      for (const g of manifest) for (const p of g.paths) shards.push(await readFile(path.join(dir, p)));
      const all = Buffer.concat(shards);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
      return {
        modelTopology: json.modelTopology as {},
        format: json.format as string | undefined,
        generatedBy: json.generatedBy as string | undefined,
        convertedBy: json.convertedBy as string | null | undefined,
        userDefinedMetadata: json.userDefinedMetadata as {} | undefined,
        signature: json.signature as {} | undefined,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData,
      };
    },
  };
}

let wasmPathsSet = false;

async function startWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) {
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
      wasmPathsSet = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function selectBackend(forced?: DetectorBackend): Promise<string> {
  if (forced === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialise');
  } else if (forced === 'wasm') {
    if (!(await startWasm())) throw new Error('the tfjs wasm backend failed to initialise');
  } else {
    const running = (tf.engine() as unknown as { backendName?: string | null }).backendName;
    if (!running) {
      if (!(await startWasm()) && !(await tf.setBackend('cpu'))) throw new Error('no tfjs backend could be initialised (tried wasm, cpu)');
    }
  }
  await tf.ready();
  return tf.getBackend();
}

/** Loads BlazeFace from the package's weights (no network). */
export async function loadFaceDetector(opts: LoadOptions = {}): Promise<FaceDetector> {
  const dir = opts.modelDir ?? humanModelDir();
  const backend = await selectBackend(opts.backend);
  const model = await tf.loadGraphModel(fileModelHandler(path.join(dir, 'blazeface.json')));
  const shape = model.inputs[0]?.shape;
  if (!shape || shape[1] !== BLAZEFACE_INPUT || shape[2] !== BLAZEFACE_INPUT || shape[3] !== 3) {
    model.dispose();
    throw new Error(`${path.join(dir, 'blazeface.json')}: expected a [1, ${BLAZEFACE_INPUT}, ${BLAZEFACE_INPUT}, 3] input, got ${JSON.stringify(shape)}`);
  }
  const anchors = blazefaceAnchors();
  const n = BLAZEFACE_INPUT;

  /** Runs the model; returns logits (896) and regressors (896 x 16) in anchor order. */
  function run(input: Float32Array): { logits: Float32Array; regs: Float32Array } {
    const outs = tf.tidy(() => {
      const x = tf.tensor4d(input, [1, n, n, 3]);
      const r = model.execute(x);
      return (Array.isArray(r) ? r : [r]).map((t) => ({ shape: t.shape.slice(), data: t.dataSync() as Float32Array }));
    });
    // outputs: [1, 512, 1], [1, 512, 16], [1, 384, 1], [1, 384, 16] in some order
    const find = (count: number, depth: number) => {
      const o = outs.find((t) => t.shape[1] === count && t.shape[2] === depth);
      if (!o) throw new Error(`blazeface: no output of shape [1, ${count}, ${depth}] (got ${outs.map((t) => JSON.stringify(t.shape)).join(', ')})`);
      return o.data;
    };
    const logits = new Float32Array(BLAZEFACE_ANCHORS);
    logits.set(find(512, 1), 0);
    logits.set(find(384, 1), 512);
    const regs = new Float32Array(BLAZEFACE_ANCHORS * BLAZEFACE_REGRESSORS);
    regs.set(find(512, BLAZEFACE_REGRESSORS), 0);
    regs.set(find(384, BLAZEFACE_REGRESSORS), 512 * BLAZEFACE_REGRESSORS);
    return { logits, regs };
  }

  return {
    name: 'blazeface',
    backend,
    detect(img: Image, o: DetectOptions = {}): FaceDetection[] {
      const thr = o.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD;
      const iouThr = o.iouThreshold ?? DEFAULT_NMS_IOU;
      const side = Math.max(img.width, img.height);
      const win = o.window ?? { ox: (img.width - side) / 2, oy: (img.height - side) / 2, side };
      const { logits, regs } = run(squareInput(img, win, n));
      const s = win.side / n;
      const found: FaceDetection[] = [];
      for (const f of nms(decodeBlazeface(logits, regs, thr, anchors), iouThr)) {
        const x0 = Math.max(0, Math.min(img.width, win.ox + f.x0 * s));
        const y0 = Math.max(0, Math.min(img.height, win.oy + f.y0 * s));
        const x1 = Math.max(0, Math.min(img.width, win.ox + f.x1 * s));
        const y1 = Math.max(0, Math.min(img.height, win.oy + f.y1 * s));
        if (!(x1 > x0 && y1 > y0)) continue;
        found.push({
          box: [x0, y0, x1 - x0, y1 - y0],
          score: f.score,
          landmarks: f.landmarks.map(([x, y]) => [win.ox + x * s, win.oy + y * s] as [number, number]),
        });
      }
      return found;
    },
    dispose(): void {
      model.dispose();
    },
  };
}
