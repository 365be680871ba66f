// An offline face detector: MediaPipe's BlazeFace (256x256 "back camera" model) with the
// weights shipped inside the installed npm package @vladmandic/human (models/blazeface.json +
// blazeface.bin), run with @tensorflow/tfjs. This file loads tfjs: import it (dynamically) only
// where a detector is loaded; the interface and defaults are in face-detector.ts.
//
// Loading: tf.loadGraphModel with our own IO handler that reads model.json and concatenates
// its weight shards from the package folder (plain tfjs in Node has no file:// loader).
// Batches: the converted graph pins its batch dimension to 1 (input placeholder [1, 256, 256, 3],
// and the four output Reshapes to [1, 512 | 384, 1 | 16]); freeBatchDimension() sets those to -1
// before the graph is built, so that several windows go through one model call. Nothing else in
// the graph depends on the batch (convolutions, pooling, channel padding, residual adds), and
// each window's outputs are the same as in a call of its own (test/regions/detector.test.ts).
// Backend (lib/nn/runtime/start.ts): wasm (its binaries found next to @tensorflow/tfjs-backend-wasm)
// unless a running backend is as fast (wasm, tensorflow, webgl, webgpu). tfjs state is global,
// so a running cpu backend is switched to wasm: BlazeFace is about ten times slower on cpu (npm run
// bench:regions). If wasm cannot start, loading fails, naming why, rather than running on cpu
// unnoticed; `backend: 'cpu'` forces cpu.
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
import path from 'node:path';
import type { Image } from '../data/image.ts';
import { fileModelHandler, humanModelDir, int32Weight, weightOffsets } from '../nn/graph-model-files.ts';
import { BLAZEFACE_ANCHORS, BLAZEFACE_INPUT, BLAZEFACE_REGRESSORS, blazefaceAnchors, decodeBlazeface } from './blazeface.ts';
import { DEFAULT_NMS_IOU, DEFAULT_SCORE_THRESHOLD, type DetectOptions, type FaceDetection, type FaceDetector } from './face-detector.ts';
import { nms } from './nms.ts';
import { squareInput, type SquareWindow } from './square-input.ts';
import { modelBackend, type ModelBackend } from '../nn/runtime/start.ts';

export { DEFAULT_NMS_IOU, DEFAULT_SCORE_THRESHOLD, type DetectOptions, type FaceDetection, type FaceDetector } from './face-detector.ts';

export type DetectorBackend = ModelBackend;

/**
 * Most windows per model call. On wasm, batching saves little: the model's arithmetic is the
 * same per window, only the per-call overhead is shared. Measured on the synthetic Cityscapes
 * faces (npm run bench:regions, a shared 2-core machine): CPU time per image within about 5%
 * from 1 to 8 windows per call, 2 to 4 the lowest, 8 and more a little higher (a batch's
 * activations no longer fit the cache).
 */
export const DEFAULT_MAX_BATCH = 4;

export interface LoadOptions {
  /** Folder holding blazeface.json and its shards (default: @vladmandic/human's models/). */
  modelDir?: string;
  /** Force a tfjs backend; default: keep a running wasm/tensorflow/webgl/webgpu backend, else wasm. */
  backend?: DetectorBackend;
  /** Most windows per model call (default DEFAULT_MAX_BATCH; 1: one call per window). */
  maxBatch?: number;
}

export { fileModelHandler, humanModelDir } from '../nn/graph-model-files.ts';

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: { shape?: { shape?: { dim?: { size?: string | number }[] } } };
}

/**
 * The artifacts of a graph model whose batch dimension is pinned to 1, changed so that any
 * batch runs: the input placeholder's first dimension and the first element of every Reshape's
 * constant target shape (int32, [1, ...]) become -1. The weight data is copied, not changed in
 * place. Anything else is an error naming `where`: a second input, a Reshape whose target is
 * not a constant of the form [1, ...], quantized or string weights.
 */
export function freeBatchDimension(art: tf.io.ModelArtifacts, where: string): tf.io.ModelArtifacts {
  const topo = art.modelTopology as { node?: GraphNode[] } | undefined;
  const nodes = topo?.node;
  if (!Array.isArray(nodes) || !art.weightSpecs || !(art.weightData instanceof ArrayBuffer)) throw new Error(`${where}: not a graph model with one weight buffer`);
  const placeholders = nodes.filter((n) => n.op === 'Placeholder');
  const dims = placeholders[0]?.attr?.shape?.shape?.dim;
  if (placeholders.length !== 1 || !dims || Number(dims[0]?.size) !== 1) throw new Error(`${where}: expected one input with batch dimension 1`);
  for (const spec of art.weightSpecs) if (spec.quantization) throw new Error(`${where}: weight ${spec.name}: quantized weights are not supported here`);
  const offsets = weightOffsets(art, where);
  const data = art.weightData.slice(0);
  const newNodes = nodes.map((n) => ({ ...n }));
  for (const n of newNodes) {
    if (n.op === 'Placeholder') {
      n.attr = structuredClone(n.attr);
      n.attr!.shape!.shape!.dim![0] = { size: '-1' };
    } else if (n.op === 'Reshape') {
      const v = int32Weight(data, offsets, n.input?.[1] ?? '');
      if (!v) throw new Error(`${where}: Reshape ${n.name}: its target shape is not an int32 constant`);
      if (v[0] !== 1) throw new Error(`${where}: Reshape ${n.name}: target shape [${Array.from(v).join(', ')}] does not start with the batch dimension 1`);
      v[0] = -1;
    }
  }
  return { ...art, modelTopology: { ...topo, node: newNodes }, weightData: data };
}

/** Loads BlazeFace from the package's weights (no network). */
export async function loadFaceDetector(opts: LoadOptions = {}): Promise<FaceDetector> {
  const dir = opts.modelDir ?? humanModelDir();
  const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be an integer >= 1, got ${maxBatch}`);
  const backend = await modelBackend('BlazeFace', opts.backend);
  const jsonPath = path.join(dir, 'blazeface.json');
  const art = await fileModelHandler(jsonPath).load!();
  const model = await tf.loadGraphModel(tf.io.fromMemory(freeBatchDimension(art, jsonPath)));
  const shape = model.inputs[0]?.shape;
  if (!shape || shape[1] !== BLAZEFACE_INPUT || shape[2] !== BLAZEFACE_INPUT || shape[3] !== 3) {
    model.dispose();
    throw new Error(`${jsonPath}: expected a [batch, ${BLAZEFACE_INPUT}, ${BLAZEFACE_INPUT}, 3] input, got ${JSON.stringify(shape)}`);
  }
  const anchors = blazefaceAnchors();
  const n = BLAZEFACE_INPUT;
  const perInput = n * n * 3;

  /** Runs the model on `b` inputs laid end to end; logits (b x 896) and regressors (b x 896 x 16), each item in anchor order. */
  async function run(input: Float32Array, b: number): Promise<{ logits: Float32Array; regs: Float32Array }> {
    // the outputs are read after tidy: tidy walks what its function returns, element by element
    // for typed arrays, which took longer than the model's smaller layers; and read with data(),
    // which every backend has (webgpu in Node reads asynchronously only)
    const tensors = tf.tidy(() => {
      const r = model.execute(tf.tensor4d(input, [b, n, n, 3]));
      return Array.isArray(r) ? r : [r];
    });
    const outs = await Promise.all(tensors.map(async (t) => ({ shape: t.shape.slice(), data: (await t.data()) as Float32Array })));
    tf.dispose(tensors);
    // outputs: [b, 512, 1], [b, 512, 16], [b, 384, 1], [b, 384, 16] in some order
    const find = (count: number, depth: number) => {
      const o = outs.find((t) => t.shape[0] === b && t.shape[1] === count && t.shape[2] === depth);
      if (!o) throw new Error(`blazeface: no output of shape [${b}, ${count}, ${depth}] (got ${outs.map((t) => JSON.stringify(t.shape)).join(', ')})`);
      return o.data;
    };
    const l16 = find(512, 1);
    const l32 = find(384, 1);
    const r16 = find(512, BLAZEFACE_REGRESSORS);
    const r32 = find(384, BLAZEFACE_REGRESSORS);
    const logits = new Float32Array(b * BLAZEFACE_ANCHORS);
    const regs = new Float32Array(b * BLAZEFACE_ANCHORS * BLAZEFACE_REGRESSORS);
    for (let k = 0; k < b; k++) {
      logits.set(l16.subarray(k * 512, (k + 1) * 512), k * BLAZEFACE_ANCHORS);
      logits.set(l32.subarray(k * 384, (k + 1) * 384), k * BLAZEFACE_ANCHORS + 512);
      const rb = k * BLAZEFACE_ANCHORS * BLAZEFACE_REGRESSORS;
      regs.set(r16.subarray(k * 512 * BLAZEFACE_REGRESSORS, (k + 1) * 512 * BLAZEFACE_REGRESSORS), rb);
      regs.set(r32.subarray(k * 384 * BLAZEFACE_REGRESSORS, (k + 1) * 384 * BLAZEFACE_REGRESSORS), rb + 512 * BLAZEFACE_REGRESSORS);
    }
    return { logits, regs };
  }

  /** The window of `img` a detection pass looks at. */
  function windowOf(img: Image, w: SquareWindow | undefined): SquareWindow {
    if (w) return w;
    const side = Math.max(img.width, img.height);
    return { ox: (img.width - side) / 2, oy: (img.height - side) / 2, side };
  }

  /** Detections of one window from its logits and regressors, in image pixels. */
  function decodeWindow(img: Image, win: SquareWindow, logits: Float32Array, regs: Float32Array, thr: number, iouThr: number): FaceDetection[] {
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
  }

  async function detectWindows(img: Image, windows: readonly (SquareWindow | undefined)[], o: Omit<DetectOptions, 'window'> = {}): Promise<FaceDetection[][]> {
    const thr = o.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD;
    const iouThr = o.iouThreshold ?? DEFAULT_NMS_IOU;
    const wins = windows.map((w) => windowOf(img, w));
    const out: FaceDetection[][] = [];
    for (let start = 0; start < wins.length; start += maxBatch) {
      const chunk = wins.slice(start, start + maxBatch);
      // a new input each call: a call can be waiting for its outputs while another starts
      const input = new Float32Array(chunk.length * perInput);
      chunk.forEach((w, k) => squareInput(img, w, n, input, k * perInput));
      const { logits, regs } = await run(input, chunk.length);
      chunk.forEach((w, k) => {
        const l = logits.subarray(k * BLAZEFACE_ANCHORS, (k + 1) * BLAZEFACE_ANCHORS);
        const r = regs.subarray(k * BLAZEFACE_ANCHORS * BLAZEFACE_REGRESSORS, (k + 1) * BLAZEFACE_ANCHORS * BLAZEFACE_REGRESSORS);
        out.push(decodeWindow(img, w, l, r, thr, iouThr));
      });
    }
    return out;
  }

  return {
    name: 'blazeface',
    backend,
    async detect(img: Image, o: DetectOptions = {}): Promise<FaceDetection[]> {
      return (await detectWindows(img, [o.window], o))[0];
    },
    detectWindows,
    dispose(): void {
      model.dispose();
    },
  };
}
