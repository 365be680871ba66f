// Cityscapes instance-level semantic labeling evaluation, following cityscapesScripts
// evaluation/evalInstanceLevelSemanticLabeling.py (with instances2dict.py and instance.py), in
// its default setting (no distance information: one minimum region size, 100 px):
//
//  - Ground truth instances are the distinct values of `*_gtFine_instanceIds.png`; a value v
//    belongs to label v < 1000 ? v : floor(v / 1000); only the 8 classes with instances that
//    are evaluated (person, rider, car, truck, bus, train, motorcycle, bicycle) are kept.
//    Values < 1000 of those classes are GROUP regions (e.g. a crowd of persons).
//  - A prediction (label id, confidence, binary mask; empty masks and other labels skipped)
//    records its pixel count, its overlap with void pixels (instanceIds value equal to an
//    ignored label id) and its intersection with every ground truth region of its class.
//  - For each overlap threshold t in np.arange(0.5, 1.0, 0.05) and each class: ground truth
//    regions that are groups or smaller than 100 px are dropped from the list of instances to
//    find. An instance is matched by every prediction with IoU > t (strictly); the best score
//    is the true positive, any further match is a false positive with the lower score; an
//    instance without match is a "hard" false negative. A prediction with IoU > t to no region
//    of its class (groups and small regions included) is a false positive unless the share of
//    its pixels on void, group and small regions (added up) exceeds t.
//  - AP is the script's own integration (no precision envelope): precision and recall at every
//    distinct score, an artificial point (recall 0, precision 1, as the official evaluation
//    server does), step widths from a [-0.5, 0, 0.5] central difference of the recalls, and the
//    dot product. No ground truth: NaN. Ground truth but no prediction of the class: 0.
//  - Per class AP = mean over the 10 thresholds, AP50% = the value at t = 0.5;
//    allAp / allAp50% = nanmean over classes (and thresholds).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { cityscapesLabels, labelById } from '../data/cityscapes-labels.ts';
import type { Rle } from '../data/types.ts';
import { readBinaryMask } from './label-image.ts';

/**
 * np.arange(0.5, 1.0, 0.05) value for value: numpy fills start + i * (x1 - x0) with
 * x1 = start + step, which gives 0.6000000000000001, ..., 0.9500000000000004.
 */
const STEP = 0.5 + 0.05 - 0.5;
export const OVERLAPS: readonly number[] = Object.freeze(Array.from({ length: 10 }, (_, i) => 0.5 + i * STEP));
/** Minimum ground truth region size [pixels] (args.minRegionSizes[0]). */
export const MIN_REGION_SIZE = 100;

/** The evaluated classes with instances, in label-table order. */
export const INSTANCE_CLASSES: readonly string[] = cityscapesLabels.filter((l) => l.hasInstances && !l.ignoreInEval).map((l) => l.name);
const VOID_IDS = new Set(cityscapesLabels.filter((l) => l.ignoreInEval).map((l) => l.id));

export interface InstancePrediction {
  /** Cityscapes label id (not trainId). */
  labelId: number;
  /** Confidence. */
  score: number;
  /** COCO RLE (column-major runs) or a row-major mask where nonzero is inside. */
  mask: Rle | Uint8Array;
  /** Name used in error messages (the mask file). */
  name?: string;
}

export interface GroundTruthInstances {
  width: number;
  height: number;
  /** Row-major `*_gtFine_instanceIds.png` values. */
  instanceIds: ArrayLike<number>;
  name?: string;
}

interface GtRegion {
  instId: number;
  pixelCount: number;
  /** Matching predictions in prediction order: [confidence, pixelCount, intersection]. */
  matchedPred: Array<[number, number, number]>;
}
interface PredRegion {
  confidence: number;
  pixelCount: number;
  voidIntersection: number;
  /** Intersecting regions of the class: [instId, pixelCount, intersection]. */
  matchedGt: Array<[number, number, number]>;
}
interface ImageMatches {
  gt: Map<string, GtRegion[]>;
  pred: Map<string, PredRegion[]>;
}

export interface CityscapesInstanceResult {
  /** The script's `averages` (without its `classes` member): nanmean over classes. */
  averages: { allAp: number; 'allAp50%': number };
  /** Per class: AP averaged over the overlaps, and AP at overlap 0.5. */
  classes: Record<string, { ap: number; 'ap50%': number }>;
  /** The script's resultApMatrix for the one distance setting: [class][overlap]. */
  apMatrix: number[][];
  overlaps: number[];
  instLabels: string[];
}

export type CityscapesInstanceJson = {
  averages: { allAp: number | null; 'allAp50%': number | null };
  classes: Record<string, { ap: number | null; 'ap50%': number | null }>;
};

function isRle(m: Rle | Uint8Array): m is Rle {
  return !(m instanceof Uint8Array) && typeof (m as Rle).h === 'number' && (m as Rle).counts instanceof Uint32Array;
}

/** nanmean as numpy: NaN when every value is NaN. */
export function nanmean(values: readonly number[]): number {
  let n = 0;
  let s = 0;
  for (const v of values) {
    if (!Number.isNaN(v)) {
      n++;
      s += v;
    }
  }
  return n === 0 ? NaN : s / n;
}

/**
 * The AP of one class at one overlap from the collected examples (y_true 1/0 with scores) and
 * the number of unmatched ground truth instances, as evaluateMatches integrates it.
 */
export function averagePrecision(yTrue: readonly number[], yScore: readonly number[], hardFns: number): number {
  const n = yScore.length;
  // The script would fail on an empty example list (no match, no false positive while both
  // ground truth and predictions exist); recall is 0 there, and so is the AP given here.
  if (n === 0) return 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => yScore[a] - yScore[b]);
  const scores = order.map((i) => yScore[i]);
  const cum = new Float64Array(n);
  let c = 0;
  for (let k = 0; k < n; k++) cum[k] = c += yTrue[order[k]];
  const nbTrue = cum[n - 1];
  const precision: number[] = [];
  const recall: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k > 0 && scores[k] === scores[k - 1]) continue; // first index of each distinct score
    const cumSum = k > 0 ? cum[k - 1] : 0;
    const tp = nbTrue - cumSum;
    const fp = n - k - tp;
    const fn = cumSum + hardFns;
    precision.push(tp / (tp + fp));
    recall.push(tp / (tp + fn));
  }
  // the artificial first point of the curve
  precision.push(1);
  recall.push(0);
  const m = recall.length;
  // step widths: np.convolve([r0, r0, r1, ..., r_last, 0], [-0.5, 0, 0.5], 'valid')
  const ext = [recall[0], ...recall, 0];
  let ap = 0;
  for (let j = 0; j < m; j++) ap += precision[j] * (0.5 * ext[j] - 0.5 * ext[j + 2]);
  return ap;
}

/**
 * Accumulates images one at a time (only region sizes, intersections and scores are kept),
 * then computes AP per class and overlap.
 */
export class CityscapesInstanceEvaluator {
  private readonly images: ImageMatches[] = [];
  private scratch = new Uint32Array(65536);

  get imageCount(): number {
    return this.images.length;
  }

  /** Adds one image: its instanceIds ground truth and its predictions (assignGt2Preds). */
  addImage(gtIn: GroundTruthInstances, preds: readonly InstancePrediction[]): void {
    const { width: w, height: h, instanceIds } = gtIn;
    const gtName = gtIn.name ?? 'ground truth';
    const n = w * h;
    if (instanceIds.length !== n) throw new Error(`${gtName}: expected ${w}x${h} = ${n} pixels, got ${instanceIds.length}`);

    // ground truth regions (instances2dict + filterGtInstances), ascending instance value
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = instanceIds[i];
      if (!(Number.isInteger(v) && v >= 0 && v < 65536)) throw new Error(`${gtName}: instance id ${v} at pixel (${i % w}, ${Math.floor(i / w)}) is not a 16-bit value`);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const gt = new Map<string, GtRegion[]>(INSTANCE_CLASSES.map((c) => [c, []]));
    for (const v of [...counts.keys()].sort((a, b) => a - b)) {
      const labelId = v < 1000 ? v : Math.trunc(v / 1000);
      const lab = labelById(labelId);
      if (!lab) throw new Error(`${gtName}: instance id ${v} has no Cityscapes label (label id ${labelId})`);
      gt.get(lab.name)?.push({ instId: v, pixelCount: counts.get(v)!, matchedPred: [] });
    }

    const pred = new Map<string, PredRegion[]>(INSTANCE_CLASSES.map((c) => [c, []]));
    const hist = this.scratch;
    const touched: number[] = [];
    for (let p = 0; p < preds.length; p++) {
      const pr = preds[p];
      const predName = pr.name ?? `${gtName}: prediction ${p}`;
      if (!Number.isFinite(pr.labelId) || !Number.isInteger(pr.labelId)) throw new Error(`${predName}: label id ${pr.labelId} is not an integer`);
      const lab = labelById(pr.labelId);
      if (!lab) throw new Error(`${predName}: ${pr.labelId} is not a Cityscapes label id`);
      if (!INSTANCE_CLASSES.includes(lab.name)) continue; // not a class of this benchmark
      if (typeof pr.score !== 'number' || Number.isNaN(pr.score)) throw new Error(`${predName}: confidence ${pr.score} is not a number`);

      // histogram of instance ids under the mask
      let pixelCount = 0;
      const add = (idx: number) => {
        const v = instanceIds[idx];
        if (hist[v]++ === 0) touched.push(v);
        pixelCount++;
      };
      if (isRle(pr.mask)) {
        const r = pr.mask;
        if (r.h !== h || r.w !== w) throw new Error(`${predName}: mask is ${r.w}x${r.h}, ground truth ${gtName} is ${w}x${h}`);
        let pos = 0;
        for (let j = 0; j < r.counts.length; j++) {
          const len = r.counts[j];
          if (j & 1) {
            for (let k = pos; k < pos + len; k++) {
              const y = k % h;
              add(y * w + (k - y) / h);
            }
          }
          pos += len;
        }
        if (pos !== n) throw new Error(`${predName}: RLE counts sum to ${pos}, expected ${w}x${h} = ${n}`);
      } else {
        const m = pr.mask;
        if (m.length !== n) throw new Error(`${predName}: mask has ${m.length} pixels, ground truth ${gtName} is ${w}x${h}`);
        for (let i = 0; i < n; i++) if (m[i] !== 0) add(i);
      }
      if (pixelCount === 0) continue; // empty prediction: skipped

      let voidIntersection = 0;
      for (const v of touched) if (VOID_IDS.has(v)) voidIntersection += hist[v];
      const region: PredRegion = { confidence: pr.score, pixelCount, voidIntersection, matchedGt: [] };
      for (const g of gt.get(lab.name)!) {
        const inter = hist[g.instId];
        if (inter > 0) {
          region.matchedGt.push([g.instId, g.pixelCount, inter]);
          g.matchedPred.push([pr.score, pixelCount, inter]);
        }
      }
      pred.get(lab.name)!.push(region);
      for (const v of touched) hist[v] = 0;
      touched.length = 0;
    }
    this.images.push({ gt, pred });
  }

  /** AP of one class at one overlap threshold (evaluateMatches, one cell). */
  apAt(className: string, overlapTh: number, minRegionSize = MIN_REGION_SIZE): number {
    const yTrue: number[] = [];
    const yScore: number[] = [];
    let hardFns = 0;
    let haveGt = false;
    let havePred = false;
    for (const img of this.images) {
      const predInstances = img.pred.get(className) ?? [];
      const gtInstances = (img.gt.get(className) ?? []).filter((g) => g.instId >= 1000 && g.pixelCount >= minRegionSize);
      if (gtInstances.length) haveGt = true;
      if (predInstances.length) havePred = true;

      const curTrue: number[] = [];
      const curScore: number[] = [];
      for (const g of gtInstances) {
        let matched = false;
        let score = -Infinity;
        for (const [conf, predCount, inter] of g.matchedPred) {
          const overlap = inter / (g.pixelCount + predCount - inter);
          if (overlap > overlapTh) {
            if (matched) {
              // the lower-scored of two matches is a false positive
              curTrue.push(0);
              curScore.push(Math.min(score, conf));
              score = Math.max(score, conf);
            } else {
              matched = true;
              score = conf;
            }
          }
        }
        if (matched) {
          curTrue.push(1);
          curScore.push(score);
        } else hardFns++;
      }
      for (const pr of predInstances) {
        let foundGt = false;
        for (const [, gtCount, inter] of pr.matchedGt) {
          if (inter / (gtCount + pr.pixelCount - inter) > overlapTh) {
            foundGt = true;
            break;
          }
        }
        if (foundGt) continue;
        let nbIgnore = pr.voidIntersection;
        for (const [instId, gtCount, inter] of pr.matchedGt) {
          if (instId < 1000) nbIgnore += inter;
          if (gtCount < minRegionSize) nbIgnore += inter;
        }
        if (nbIgnore / pr.pixelCount <= overlapTh) {
          curTrue.push(0);
          curScore.push(pr.confidence);
        }
      }
      yTrue.push(...curTrue);
      yScore.push(...curScore);
    }
    if (haveGt && havePred) return averagePrecision(yTrue, yScore, hardFns);
    return haveGt ? 0 : NaN;
  }

  result(): CityscapesInstanceResult {
    if (this.images.length === 0) throw new Error('no images were evaluated');
    const apMatrix = INSTANCE_CLASSES.map((c) => OVERLAPS.map((t) => this.apAt(c, t)));
    const classes: CityscapesInstanceResult['classes'] = {};
    INSTANCE_CLASSES.forEach((c, i) => {
      const row = apMatrix[i];
      classes[c] = { ap: row.reduce((a, b) => a + b, 0) / row.length, 'ap50%': row[0] };
    });
    return {
      averages: { allAp: nanmean(apMatrix.flat()), 'allAp50%': nanmean(apMatrix.map((r) => r[0])) },
      classes,
      apMatrix,
      overlaps: [...OVERLAPS],
      instLabels: [...INSTANCE_CLASSES],
    };
  }
}

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** {averages: {allAp, allAp50%}, classes: {name: {ap, ap50%}}}, NaN written as null. */
export function instanceResultToJson(r: CityscapesInstanceResult): CityscapesInstanceJson {
  const classes: CityscapesInstanceJson['classes'] = {};
  for (const [k, v] of Object.entries(r.classes)) classes[k] = { ap: nanToNull(v.ap), 'ap50%': nanToNull(v['ap50%']) };
  return { averages: { allAp: nanToNull(r.averages.allAp), 'allAp50%': nanToNull(r.averages['allAp50%']) }, classes };
}

/** The script's printed table (what / AP / AP_50%), without colours. */
export function formatInstanceTable(r: CityscapesInstanceResult): string {
  const f = (v: number) => (Number.isNaN(v) ? 'nan' : v.toFixed(3)).padStart(15);
  const lines = ['#'.repeat(50), `${'what'.padEnd(15)}:${'AP'.padStart(15)}${'AP_50%'.padStart(15)}`, '#'.repeat(50)];
  for (const c of r.instLabels) lines.push(`${c.padEnd(15)}:${f(r.classes[c].ap)}${f(r.classes[c]['ap50%'])}`);
  lines.push('-'.repeat(50), `${'average'.padEnd(15)}:${f(r.averages.allAp)}${f(r.averages['allAp50%'])}`);
  return lines.join('\n');
}

export interface PredictionLine {
  /** Absolute path of the mask image. */
  maskFile: string;
  labelId: number;
  confidence: number;
}

/**
 * Reads a prediction text file (readPredInfo): one `relPathToMask labelId confidence` per line,
 * separated by single spaces, the path relative to the text file's folder and inside
 * `predictionRoot`. label id is int(float(field)). As in the script's dict, a mask named twice
 * keeps its first position and takes the later line's label and confidence. Blank lines are
 * skipped (the script rejects them).
 */
export async function readPredictionText(txtFile: string, predictionRoot: string): Promise<PredictionLine[]> {
  const text = await readFile(txtFile, 'utf8');
  const root = resolve(predictionRoot);
  const byFile = new Map<string, PredictionLine>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const where = `${txtFile}: line ${i + 1}`;
    const parts = line.split(' ');
    if (parts.length !== 3) throw new Error(`${where}: expected 'relPathPrediction labelIDPrediction confidencePrediction' separated by single spaces, got '${line}'`);
    const [rel, idText, confText] = parts;
    if (isAbsolute(rel)) throw new Error(`${where}: mask path '${rel}' must be relative`);
    const maskFile = resolve(dirname(resolve(txtFile)), rel);
    const r = relative(root, maskFile);
    if (r === '' || r.startsWith('..' + sep) || r === '..' || isAbsolute(r)) throw new Error(`${where}: mask ${maskFile} points outside of the prediction folder ${root}`);
    const idF = Number(idText);
    const conf = Number(confText);
    if (idText.trim() === '' || !Number.isFinite(idF)) throw new Error(`${where}: label id '${idText}' is not a number`);
    if (confText.trim() === '' || Number.isNaN(conf)) throw new Error(`${where}: confidence '${confText}' is not a number`);
    byFile.set(maskFile, { maskFile, labelId: Math.trunc(idF), confidence: conf });
  }
  return [...byFile.values()];
}

/**
 * Loads the masks of a prediction text file as InstancePredictions (mask files as PIL 'L' != 0).
 * With `size`, every mask must have the ground truth's width and height.
 */
export async function loadPredictionText(txtFile: string, predictionRoot: string, size?: { width: number; height: number }): Promise<InstancePrediction[]> {
  const out: InstancePrediction[] = [];
  for (const l of await readPredictionText(txtFile, predictionRoot)) {
    const lab = labelById(l.labelId);
    if (!lab) throw new Error(`${txtFile}: ${l.maskFile}: ${l.labelId} is not a Cityscapes label id`);
    if (!INSTANCE_CLASSES.includes(lab.name)) continue; // the script does not read masks of other labels
    let m;
    try {
      m = await readBinaryMask(l.maskFile);
    } catch (e) {
      throw new Error(`${txtFile}: ${(e as Error).message}`);
    }
    if (size && (m.width !== size.width || m.height !== size.height)) {
      throw new Error(`${txtFile}: mask ${l.maskFile} is ${m.width}x${m.height}, the ground truth is ${size.width}x${size.height}`);
    }
    out.push({ labelId: l.labelId, score: l.confidence, mask: m.data, name: l.maskFile });
  }
  return out;
}
