// Prediction export: runs a trained run's model over a split and writes what the evaluators read.
//
//   semseg, Cityscapes-format dataset: PRED_DIR/labelIds/<sample id>_labelIds.png, 8-bit Cityscapes
//     label ids at the original size, for `eval cityscapes-pixel --gt ROOT/gtFine/<split folder>`.
//   semseg, other formats: PRED_DIR/labels/<sample id>.png, 8-bit class per pixel written as the
//     category id (0: background).
//   instances, keypoints: PRED_DIR/results.json, COCO results (instances: bbox, score and the mask
//     as compressed RLE; keypoints: 17 x (x, y, score), score, bbox), for `eval coco`. They are
//     always evaluated against a COCO ground-truth JSON: a COCO-format manifest's own split
//     annotations (the image ids are its image ids); for Cityscapes- and BDD100K-format datasets
//     the split is written as COCO JSON to PRED_DIR/gt.json (cocoJson of lib/data/coco.ts, whose
//     image ids the results use).
// Model outputs are mapped back to the original image size (lib/train/resample.ts); instances
// are decoded at the original size, keypoints on the output grid and then scaled.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeJsonAtomic } from '../data/atomic.ts';
import { cocoJson } from '../data/coco.ts';
import { writeImage } from '../data/image.ts';
import type { Manifest } from '../data/manifest.ts';
import { splitSpec } from '../data/manifest.ts';
import { encode, toJson } from '../data/masks/index.ts';
import { readSplit } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { createTaskModel } from '../models/create.ts';
import { guidedFilterChannels, prepareGuide } from '../models/guided-filter.ts';
import { decodeInstances, type InstanceDecodeOptions } from '../models/decode-instances.ts';
import { decodeKeypoints, type KeypointDecodeOptions } from '../models/decode-keypoints.ts';
import { headOf, type DenseModel } from '../models/dense.ts';
import { OFFSET_SCALE } from '../models/instances.ts';
import { augment, IDENTITY } from './augment.ts';
import { normalizeInto } from './batch.ts';
import { readCheckpoint, restoreCheckpoint } from './checkpoint.ts';
import { classSpec, type ClassSpec } from './classes.ts';
import { loadOriginalRgb, loadSample } from './loader.ts';
import { poseKeypoints } from './pose-predict.ts';
import { mirroredInstanceMaps } from './mirrored-maps.ts';
import { argmaxBilinear, resampleBilinear } from './resample.ts';
import { CHECKPOINT_FILE, RUN_FILE, type RunRecord } from './trainer.ts';

/** Instance decoding defaults, measured on the synthetic set (docs/train.md, three pretrained-head
 * models): centre threshold 0.2 and a non-maximum window of 2 output cells either side (8 pixels at
 * stride 4) gave 0.2 to 1.6 points more person segm AP than Panoptic-DeepLab's 0.1 and 1 cell. */
export const INSTANCE_THRESHOLD = 0.2;
export const INSTANCE_NMS_CELLS = 2;

export interface PredictOptions {
  runDir: string;
  manifest: Manifest;
  /** Split to predict (default 'val'). */
  split?: string;
  /** Read the split's images from this copy of the dataset instead. */
  dataDir?: string;
  outDir: string;
  /** Images per forward pass (default 4). */
  batchSize?: number;
  instances?: Partial<Omit<InstanceDecodeOptions, 'thingClasses'>>;
  keypoints?: KeypointDecodeOptions;
  /** keypoints with a pose stage: times each person is cropped again around the box its
   * keypoints imply (default 2; lib/train/pose-predict.ts). */
  poseIterations?: number;
  /** keypoints with a pose stage: average each crop's heatmaps with its mirror image's (default
   * false: on the synthetic set it raised keypoint AP but lowered AP50, docs/train.md). */
  poseFlip?: boolean;
  /** instances: bring the class probabilities, resampled to the image, to the image's own edges
   * with a colour guided filter steered by the image (guided-filter.ts; He et al. 2013), window
   * radius `cells` output cells (default 2) and regularisation `eps` (default 1e-5, guide in 0..1),
   * computed on the image subsampled `subsample` times (default 2: He & Sun's fast guided
   * filter; 1: the exact filter); false: off. Measured in docs/train.md. */
  refine?: false | { cells?: number; eps?: number; subsample?: number };
  /** instances: average the model's maps with those of the mirrored image (default true). */
  flipTest?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The instance refinement's defaults (docs/train.md: on the main job's synthetic set, radius 2
 * output cells and eps 1e-5 chosen on the train split; person segm AP about doubled). */
export const REFINE_CELLS = 2;
export const REFINE_EPS = 1e-5;
export const REFINE_SUBSAMPLE = 2;
/** Classes whose probability stays below this everywhere in an image are not refined (they cannot win a pixel). */
const REFINE_MIN_PEAK = 0.01;

export interface PredictResult {
  task: RunRecord['task'];
  outDir: string;
  samples: number;
  /** Number of instances / people written (instances, keypoints) or label images (semseg). */
  predictions: number;
  results?: string;
  gt?: string;
  labelDir?: string;
  /** Commands that evaluate the written predictions. */
  evalCommands: string[];
  /** instances: the test-time options used (flip averaging, guided-filter refinement). */
  decoding?: { flipTest: boolean; refine: false | { cells: number; eps: number; subsample: number } };
}

export async function readRun(runDir: string): Promise<RunRecord> {
  const file = join(resolve(runDir), RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the run record (is --run a training run folder?): ${(e as Error).message}`);
  }
  const r = JSON.parse(text) as RunRecord;
  if (r.format !== 'anon-impact-run') throw new Error(`${file}: not an anon-impact run record`);
  return r;
}

function sameClasses(a: ClassSpec, b: ClassSpec): boolean {
  return a.scheme === b.scheme && JSON.stringify(a.names) === JSON.stringify(b.names) && JSON.stringify(a.outputIds) === JSON.stringify(b.outputIds);
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** COCO image ids of a dataset's samples, and the GT file they refer to. */
async function cocoGroundTruth(ds: Dataset, manifest: Manifest, split: string, outDir: string): Promise<{ gt: string; imageIds: number[] }> {
  // an annotation file that also holds licence plates would make COCOeval count a plate category:
  // then the ground truth is written without them (cocoJson leaves plates out)
  if (manifest.format === 'coco' && !(ds.plateCategory && splitSpec(manifest, split).plates === undefined)) {
    const s = splitSpec(manifest, split);
    const ids = ds.samples.map((x) => Number(x.id));
    if (!ids.every(Number.isSafeInteger)) throw new Error(`${manifest.path}: split ${split}: COCO image ids are not all integers`);
    return { gt: join(manifest.rootDir, s.annotations!), imageIds: ids };
  }
  const json = cocoJson(ds);
  const gt = join(outDir, 'gt.json');
  await writeJsonAtomic(gt, json);
  return { gt, imageIds: (json.images as { id: number }[]).map((im) => im.id) };
}

export async function predict(opts: PredictOptions): Promise<PredictResult> {
  const runDir = resolve(opts.runDir);
  const outDir = resolve(opts.outDir);
  const split = opts.split ?? 'val';
  const run = await readRun(runDir);
  if (opts.poseIterations !== undefined && (!Number.isInteger(opts.poseIterations) || opts.poseIterations < 0)) throw new RangeError(`poseIterations must be an integer >= 0, got ${opts.poseIterations}`);
  if (run.status !== 'complete') throw new Error(`${join(runDir, RUN_FILE)}: the run is not complete (step ${run.step} of ${run.steps}); finish it with the same train command first`);
  const ds = await readSplit(opts.manifest, split);
  const classes = classSpec(ds, run.task, run.classes.excluded ?? []);
  if (!sameClasses(classes, run.classes)) {
    throw new Error(`${opts.manifest.path}: split ${split} has classes [${classes.names.join(', ')}], the run was trained on [${run.classes.names.join(', ')}]`);
  }
  const model = createTaskModel(run.model);
  try {
    const ckFile = join(runDir, CHECKPOINT_FILE);
    const ck = await readCheckpoint(ckFile);
    restoreCheckpoint(ck, model.params, undefined, ckFile);
    const size = run.params.imageSize;
    const os = model.outputStride;
    const B = opts.batchSize ?? 4;
    const instances = run.task === 'instances';
    const flipTest = instances && (opts.flipTest ?? true);
    const refine = instances && opts.refine !== false ? { cells: opts.refine?.cells ?? REFINE_CELLS, eps: opts.refine?.eps ?? REFINE_EPS, subsample: opts.refine?.subsample ?? REFINE_SUBSAMPLE } : false;
    if (refine && !(Number.isFinite(refine.cells) && refine.cells > 0 && refine.eps > 0 && Number.isInteger(refine.subsample) && refine.subsample >= 1)) {
      throw new RangeError(`refine needs cells > 0, eps > 0 and an integer subsample >= 1, got cells ${refine.cells}, eps ${refine.eps}, subsample ${refine.subsample}`);
    }
    const imageRoot = opts.dataDir ? resolve(opts.dataDir) : undefined;
    /** Class probabilities at the image's size, refined with the image (or unchanged when refine is off). */
    const refineSemantic = async (semantic: Float32Array, C: number, index: number, image: Uint8Array | undefined, g: { fx: number; fy: number }): Promise<Float32Array> => {
      if (!refine) return semantic;
      const s = ds.samples[index];
      const rgb = image ?? (await loadOriginalRgb(ds, index, imageRoot));
      // the radius in original pixels: `cells` output cells (an output cell spans 1 / fx of them)
      const r = Math.max(1, Math.round(refine.cells / Math.min(g.fx, g.fy)));
      return guidedFilterChannels(prepareGuide(rgb, s.width, s.height, 3, r, refine.eps, refine.subsample), semantic, C, REFINE_MIN_PEAK);
    };
    const cmds: string[] = [];
    const result: PredictResult = { task: run.task, outDir, samples: ds.samples.length, predictions: 0, evalCommands: cmds, ...(instances ? { decoding: { flipTest, refine } } : {}) };
    let coco: { gt: string; imageIds: number[] } | undefined;
    const results: unknown[] = [];
    if (run.task !== 'semseg') coco = await cocoGroundTruth(ds, opts.manifest, split, outDir);
    for (let start = 0; start < ds.samples.length; start += B) {
      const idx = Array.from({ length: Math.min(B, ds.samples.length - start) }, (_, i) => start + i);
      const bases = await Promise.all(idx.map((i) => loadSample(ds, i, { task: run.task, classes, size, imageRoot, annotations: false })));
      // the canvas: the batch's largest resized image, rounded up to a multiple of 32 (the network's total stride)
      const cw = Math.ceil(Math.max(...bases.map((b) => b.width)) / 32) * 32;
      const ch = Math.ceil(Math.max(...bases.map((b) => b.height)) / 32) * 32;
      const input = new Float32Array(idx.length * cw * ch * 3);
      bases.forEach((b, i) => normalizeInto(augment(b, IDENTITY, [cw, ch]).image, input, i * cw * ch * 3));
      const out = tf.tidy(() => {
        const x = tf.tensor4d(input, [idx.length, ch, cw, 3]);
        const y = postActivations(model, model.apply(x));
        return flipTest ? (tf.div(tf.add(y, postActivations(model, mirroredInstanceMaps(model, x))), 2) as tf.Tensor4D) : y;
      });
      const [, oh, ow, C] = out.shape;
      const data = (await out.data()) as Float32Array;
      out.dispose();
      for (let i = 0; i < idx.length; i++) {
        const sample = ds.samples[idx[i]];
        const base = bases[i];
        const maps = data.subarray(i * oh * ow * C, (i + 1) * oh * ow * C);
        const g = { fx: base.width / sample.width / os, fy: base.height / sample.height / os };
        const W = sample.width;
        const H = sample.height;
        if (run.task === 'semseg') {
          const h = model.heads.semantic;
          const cls = argmaxBilinear(maps, ow, oh, C, h.offset, h.count, W, H, g);
          const px = new Uint8Array(W * H);
          for (let p = 0; p < px.length; p++) px[p] = classes.outputIds[cls[p]];
          const dir = join(outDir, classes.scheme === 'cityscapes-trainids' ? 'labelIds' : 'labels');
          const name = classes.scheme === 'cityscapes-trainids' ? `${sample.id}_labelIds.png` : `${sample.id.replace(/[^A-Za-z0-9._-]/g, '_')}.png`;
          await writeImage(join(dir, name), { width: W, height: H, channels: 1, data: px });
          result.labelDir = dir;
          result.predictions++;
        } else if (run.task === 'instances') {
          const hs = model.heads.semantic;
          const hc = model.heads.center;
          const ho = model.heads.offset;
          const hb = model.heads.box;
          const decoded = decodeInstances(
            {
              width: W,
              height: H,
              numClasses: hs.count,
              semantic: await refineSemantic(resampleBilinear(maps, ow, oh, C, hs.offset, hs.count, W, H, g), hs.count, idx[i], base.width === W && base.height === H ? base.image : undefined, g),
              center: resampleBilinear(maps, ow, oh, C, hc.offset, 1, W, H, g),
              offset: offsetsToOriginal(resampleBilinear(maps, ow, oh, C, ho.offset, 2, W, H, g), g),
              box: hb ? resampleBilinear(maps, ow, oh, C, hb.offset, 4, W, H, g).map((v, i) => Math.exp(v) / (i % 2 === 0 ? g.fx : g.fy)) : undefined,
            },
            { threshold: INSTANCE_THRESHOLD, ...opts.instances, thingClasses: classes.thingClasses, nmsRadius: opts.instances?.nmsRadius ?? Math.max(1, Math.round(INSTANCE_NMS_CELLS / g.fx)) },
          );
          const mask = new Uint8Array(W * H);
          for (const d of decoded.slice(0, 100)) {
            mask.fill(0);
            for (const p of d.pixels) mask[p] = 1;
            results.push({
              image_id: coco!.imageIds[idx[i]],
              category_id: classes.outputIds[d.classIndex],
              bbox: d.box.map((v) => round(v, 2)),
              score: round(d.score, 6),
              segmentation: toJson(encode(mask, H, W)),
            });
            result.predictions++;
          }
        } else {
          const hk = model.heads;
          const n = ow * oh;
          const pick = (name: string, count: number, scale = 1, fn?: (v: number) => number) => {
            const o = hk[name].offset;
            const a = new Float32Array(n * count);
            for (let p = 0; p < n; p++) for (let c = 0; c < count; c++) a[p * count + c] = fn ? fn(maps[p * C + o + c]) : maps[p * C + o + c] * scale;
            return a;
          };
          const people = decodeKeypoints(
            {
              width: ow,
              height: oh,
              center: pick('center', 1),
              keypoints: pick('keypoints', 17),
              offsets: pick('offsets', 34, OFFSET_SCALE),
              size: pick('size', 2, 1, Math.exp),
              local: pick('local', 2),
            },
            opts.keypoints,
          );
          // grid coordinate u -> original (u + 0.5) * os / s
          const sx = os / (base.width / W);
          const sy = os / (base.height / H);
          // with a pose stage, each person's keypoints come from it, on the person's box (base
          // size), and the person's score is the centre's times the mean of its 17 keypoint
          // scores (the rescoring of the top-down pose networks: Simple Baselines multiply the
          // box score by the mean score of the keypoints above 0.2)
          const boxes = people.map((p): [number, number, number, number] => [(p.box[0] + 0.5) * os, (p.box[1] + 0.5) * os, p.box[2] * os, p.box[3] * os]);
          const posed = model.pose ? await poseKeypoints(model.pose, base, boxes, opts.poseIterations ?? 2, opts.poseFlip ?? false) : undefined;
          people.forEach((person, k) => {
            const kps: number[] = [];
            for (let j = 0; j < 17; j++) {
              if (posed) kps.push(round(posed[k][3 * j] * (W / base.width), 2), round(posed[k][3 * j + 1] * (H / base.height), 2), round(posed[k][3 * j + 2], 4));
              else kps.push(round((person.keypoints[3 * j] + 0.5) * sx, 2), round((person.keypoints[3 * j + 1] + 0.5) * sy, 2), round(person.keypoints[3 * j + 2], 4));
            }
            const [bx, by, bw, bh] = person.box;
            results.push({
              image_id: coco!.imageIds[idx[i]],
              category_id: classes.outputIds[0],
              keypoints: kps,
              score: round(posed ? person.score * meanKeypointScore(posed[k]) : person.score, 6),
              bbox: [round((bx + 0.5) * sx, 2), round((by + 0.5) * sy, 2), round(bw * sx, 2), round(bh * sy, 2)],
            });
            result.predictions++;
          });
        }
      }
      opts.onProgress?.(start + idx.length, ds.samples.length);
    }
    const cli = 'node bin/anon-impact.js';
    if (run.task === 'semseg') {
      if (classes.scheme === 'cityscapes-trainids') {
        const folder = splitSpec(opts.manifest, split).folder ?? split;
        cmds.push(`${cli} eval cityscapes-pixel --gt ${join(opts.manifest.rootDir, 'gtFine', folder)} --pred ${result.labelDir}`);
      }
    } else {
      const file = join(outDir, 'results.json');
      await writeJsonAtomic(file, results);
      result.results = file;
      result.gt = coco!.gt;
      const types = run.task === 'instances' ? ['bbox', 'segm'] : ['keypoints'];
      for (const t of types) cmds.push(`${cli} eval coco --gt ${coco!.gt} --results ${file} --iou-type ${t}`);
    }
    await writeJsonAtomic(join(outDir, 'predict.json'), {
      run: runDir,
      manifest: opts.manifest.path,
      split,
      data: opts.dataDir ? resolve(opts.dataDir) : null,
      task: run.task,
      samples: result.samples,
      predictions: result.predictions,
      results: result.results ?? null,
      gt: result.gt ?? null,
      labelDir: result.labelDir ?? null,
      evalCommands: cmds,
    }, 2);
    return result;
  } finally {
    model.dispose();
  }
}

/** Mean of the 17 keypoint scores of a 17 x (x, y, score) array. */
export function meanKeypointScore(kp: Float32Array): number {
  let s = 0;
  for (let j = 0; j < 17; j++) s += kp[3 * j + 2];
  return s / 17;
}

/** Offsets (dy, dx) / OFFSET_SCALE in output pixels -> original pixels. */
function offsetsToOriginal(o: Float32Array, g: { fx: number; fy: number }): Float32Array {
  for (let p = 0; p < o.length; p += 2) {
    o[p] = (o[p] * OFFSET_SCALE) / g.fy;
    o[p + 1] = (o[p + 1] * OFFSET_SCALE) / g.fx;
  }
  return o;
}

/** Softmax on semantic logits and sigmoid on heatmap logits; other channels unchanged. */
function postActivations(model: DenseModel, y: tf.Tensor4D): tf.Tensor4D {
  const parts: tf.Tensor4D[] = [];
  const names = Object.entries(model.heads).sort((a, b) => a[1].offset - b[1].offset);
  for (const [name] of names) {
    const t = headOf(model, y, name);
    if (name === 'semantic') parts.push(tf.softmax(t) as tf.Tensor4D);
    else if (name === 'center' || name === 'keypoints') parts.push(tf.sigmoid(t) as tf.Tensor4D);
    else parts.push(t);
  }
  return tf.concat(parts, 3);
}
