// Cityscapes pixel-level semantic labeling evaluation, following cityscapesScripts
// evaluation/evalPixelLevelSemanticLabeling.py (default settings: evalInstLevelScore on,
// normalized confusion output, no per-image pixel accuracy):
//
//  - The confusion matrix has one row (ground truth) and one column (prediction) per label id
//    0..33 (every label with id >= 0, ignored ones included). Every pixel is counted; a ground
//    truth id outside 0..33 is an error ("Unknown label"), and so is a predicted one (the
//    script would index past its matrix).
//  - IoU of an evaluated class (ignoreInEval false: the 19 classes): TP = diagonal entry,
//    FN = row sum - TP (a prediction of an ignored id on an evaluated pixel is a miss),
//    FP = the column summed over the rows of evaluated classes other than this one (pixels whose
//    ground truth is void/ignored never count as false positives). IoU = TP / (TP + FP + FN),
//    NaN when that is 0; ignored labels score NaN.
//  - iIoU: per ground-truth instance (instanceIds value > 1000, label = floor(value / 1000),
//    ignored labels skipped) TP and FN pixels are weighted by avgClassSize[class] / instance
//    size; iIoU = TPw / (TPw + FP + FNw) with the unweighted FP above.
//  - Categories: IoU over the evaluated labels of the category (sums of the matrix blocks);
//    iIoU for the categories whose labels all have instances (human, vehicle), where an
//    instance pixel is a TP when the prediction is any label id of the category (caravan and
//    trailer included, as in the script).
//  - Averages leave NaN scores out (getScoreAverage), NaN when nothing is left.
import { cityscapesLabels, labelById, type CityscapesLabel } from '../data/cityscapes-labels.ts';

/** The script's hard-coded average instance sizes (pixels, on the 2048x1024 training set). */
export const AVG_CLASS_SIZE: Readonly<Record<string, number>> = Object.freeze({
  bicycle: 4672.3249222261,
  caravan: 36771.8241758242,
  motorcycle: 6298.7200839748,
  rider: 3930.4788056518,
  bus: 35732.1511111111,
  train: 67583.7075812274,
  car: 12794.0202738185,
  person: 3462.4756337644,
  truck: 27855.1264367816,
  trailer: 16926.9763313609,
});

/** The label ids of the confusion matrix: every label with id >= 0, in table order (0..33). */
export const EVAL_LABEL_IDS: readonly number[] = cityscapesLabels.filter((l) => l.id >= 0).map((l) => l.id);
const DIM = Math.max(...EVAL_LABEL_IDS) + 1;

/** Categories in the order labels.py first meets them (void, flat, ..., vehicle). */
export const CATEGORIES: readonly string[] = [...new Set(cityscapesLabels.map((l) => l.category))];

function label(id: number): CityscapesLabel {
  const l = labelById(id);
  if (!l) throw new Error(`no Cityscapes label with id ${id}`);
  return l;
}

/** The evaluated (ignoreInEval false) label ids, in table order. */
const notIgnored = EVAL_LABEL_IDS.filter((id) => !label(id).ignoreInEval);

interface InstStat {
  tp: number;
  tpWeighted: number;
  fn: number;
  fnWeighted: number;
}
interface CategoryInstStat extends InstStat {
  labelIds: number[];
}

export interface CityscapesPixelResult {
  /** IoU per label name, all 34 labels with id >= 0 as the script writes them; ignored ones NaN. */
  classScores: Record<string, number>;
  /** iIoU per label name; NaN except for the 8 evaluated instance classes. */
  classInstScores: Record<string, number>;
  categoryScores: Record<string, number>;
  categoryInstScores: Record<string, number>;
  averageScoreClasses: number;
  averageScoreInstClasses: number;
  averageScoreCategories: number;
  averageScoreInstCategories: number;
}

export type CityscapesPixelJson = { [K in keyof CityscapesPixelResult]: CityscapesPixelResult[K] extends number ? number | null : Record<string, number | null> };

export interface PairInput {
  width: number;
  height: number;
  /** Row-major ground-truth label ids (`*_gtFine_labelIds.png`). */
  gt: ArrayLike<number>;
  /** Row-major predicted label ids (NOT trainIds). */
  pred: ArrayLike<number>;
  /** Row-major ground-truth instance ids (`*_gtFine_instanceIds.png`). */
  instanceIds: ArrayLike<number>;
  /** Names used in error messages. */
  gtName?: string;
  predName?: string;
  instName?: string;
}

/** getScoreAverage: the mean of the non-NaN scores, NaN when there are none. */
export function scoreAverage(scores: Record<string, number>): number {
  let n = 0;
  let sum = 0;
  for (const v of Object.values(scores)) {
    if (!Number.isNaN(v)) {
      n++;
      sum += v;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/**
 * Accumulates image pairs one at a time (only the 34x34 matrix and per-class instance sums are
 * kept), then computes the script's result.
 */
export class CityscapesPixelEvaluator {
  /** Row-major DIM x DIM counts (gt row, prediction column); exact up to 2^53. */
  readonly confMatrix = new Float64Array(DIM * DIM);
  readonly classStats = new Map<string, InstStat>();
  readonly categoryStats = new Map<string, CategoryInstStat>();
  private nbPixels = 0;
  private pairs = 0;

  constructor() {
    for (const l of cityscapesLabels) {
      if (l.hasInstances && !l.ignoreInEval) this.classStats.set(l.name, { tp: 0, tpWeighted: 0, fn: 0, fnWeighted: 0 });
    }
    for (const category of CATEGORIES) {
      const ids: number[] = [];
      let allInstances = true;
      for (const l of cityscapesLabels) {
        if (l.category !== category || l.id < 0) continue;
        if (!l.hasInstances) {
          allInstances = false;
          break;
        }
        ids.push(l.id);
      }
      if (allInstances) this.categoryStats.set(category, { tp: 0, tpWeighted: 0, fn: 0, fnWeighted: 0, labelIds: ids });
    }
  }

  get pairCount(): number {
    return this.pairs;
  }

  /** Adds one ground truth / prediction pair (evaluatePair). */
  addPair(p: PairInput): void {
    const { width, height, gt, pred, instanceIds } = p;
    const gtName = p.gtName ?? 'ground truth';
    const predName = p.predName ?? 'prediction';
    const instName = p.instName ?? 'instance ids';
    const n = width * height;
    if (gt.length !== n) throw new Error(`${gtName}: expected ${width}x${height} = ${n} pixels, got ${gt.length}`);
    if (pred.length !== n) throw new Error(`${predName}: size differs from ground truth ${gtName} (${pred.length} pixels, expected ${width}x${height})`);
    if (instanceIds.length !== n) throw new Error(`${instName}: size differs from ground truth ${gtName} (${instanceIds.length} pixels, expected ${width}x${height})`);

    // Confusion counts of this image first (validated), then added to the total.
    const local = new Uint32Array(DIM * DIM);
    for (let i = 0; i < n; i++) {
      const g = gt[i];
      const q = pred[i];
      if (!(g >= 0 && g < DIM && Number.isInteger(g))) throw new Error(`${gtName}: unknown label id ${g} at pixel (${i % width}, ${Math.floor(i / width)})`);
      if (!(q >= 0 && q < DIM && Number.isInteger(q))) {
        throw new Error(`${predName}: predicted value ${q} at pixel (${i % width}, ${Math.floor(i / width)}) is not a Cityscapes label id 0..${DIM - 1} (predictions must be labelIds, not trainIds)`);
      }
      local[g * DIM + q]++;
    }
    for (let k = 0; k < local.length; k++) this.confMatrix[k] += local[k];
    this.nbPixels += n;

    // Instance statistics: size, TP and category TP per instance id > 1000.
    const perInst = new Map<number, { size: number; tp: number; catTp: number }>();
    for (let i = 0; i < n; i++) {
      const id = instanceIds[i];
      if (!(id > 1000)) continue;
      let s = perInst.get(id);
      if (!s) {
        s = { size: 0, tp: 0, catTp: 0 };
        perInst.set(id, s);
      }
      s.size++;
      const labelId = Math.trunc(id / 1000);
      const q = pred[i];
      if (q === labelId) s.tp++;
      const lab = labelById(labelId);
      if (lab) {
        const cat = this.categoryStats.get(lab.category);
        if (cat && cat.labelIds.includes(q)) s.catTp++;
      }
    }
    for (const id of [...perInst.keys()].sort((a, b) => a - b)) {
      const s = perInst.get(id)!;
      const labelId = Math.trunc(id / 1000);
      const lab = labelById(labelId);
      if (!lab) throw new Error(`${instName}: instance id ${id} has no Cityscapes label (label id ${labelId})`);
      if (lab.ignoreInEval) continue;
      const stat = this.classStats.get(lab.name);
      const avg = AVG_CLASS_SIZE[lab.name];
      if (!stat || avg === undefined) throw new Error(`${instName}: instance id ${id} belongs to '${lab.name}', which has no instances`);
      const weight = avg / s.size;
      const fn = s.size - s.tp;
      stat.tp += s.tp;
      stat.fn += fn;
      stat.tpWeighted += s.tp * weight;
      stat.fnWeighted += fn * weight;
      const cat = this.categoryStats.get(lab.category);
      if (cat) {
        const catFn = s.size - s.catTp;
        cat.tp += s.catTp;
        cat.fn += catFn;
        cat.tpWeighted += s.catTp * weight;
        cat.fnWeighted += catFn * weight;
      }
    }
    this.pairs++;
  }

  private m(i: number, j: number): number {
    return this.confMatrix[i * DIM + j];
  }

  private rowSum(i: number): number {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += this.m(i, j);
    return s;
  }

  /** FP of a set of predicted ids: column sums over the evaluated rows outside `exclude`. */
  private fpOf(cols: readonly number[], exclude: (row: number) => boolean): number {
    let fp = 0;
    for (const r of notIgnored) {
      if (exclude(r)) continue;
      for (const c of cols) fp += this.m(r, c);
    }
    return fp;
  }

  /** getIouScoreForLabel */
  classIou(id: number): number {
    if (label(id).ignoreInEval) return NaN;
    const tp = this.m(id, id);
    const fn = this.rowSum(id) - tp;
    const fp = this.fpOf([id], (r) => r === id);
    const denom = tp + fp + fn;
    return denom === 0 ? NaN : tp / denom;
  }

  /** getInstanceIouScoreForLabel */
  classInstIou(id: number): number {
    const l = label(id);
    if (l.ignoreInEval) return NaN;
    const st = this.classStats.get(l.name);
    if (!st) return NaN;
    const fp = this.fpOf([id], (r) => r === id);
    const denom = st.tpWeighted + fp + st.fnWeighted;
    return denom === 0 ? NaN : st.tpWeighted / denom;
  }

  /** getIouScoreForCategory */
  categoryIou(category: string): number {
    const ids = cityscapesLabels.filter((l) => l.category === category && !l.ignoreInEval && l.id >= 0).map((l) => l.id);
    if (ids.length === 0) return NaN;
    let tp = 0;
    let rows = 0;
    for (const r of ids) {
      rows += this.rowSum(r);
      for (const c of ids) tp += this.m(r, c);
    }
    const fn = rows - tp;
    const fp = this.fpOf(ids, (r) => label(r).category === category);
    const denom = tp + fp + fn;
    return denom === 0 ? NaN : tp / denom;
  }

  /** getInstanceIouScoreForCategory */
  categoryInstIou(category: string): number {
    const st = this.categoryStats.get(category);
    if (!st) return NaN;
    const fp = this.fpOf(st.labelIds, (r) => label(r).category === category);
    const denom = st.tpWeighted + fp + st.fnWeighted;
    return denom === 0 ? NaN : st.tpWeighted / denom;
  }

  /** The confusion matrix as the script's `confMatrix` (rows: ground truth ids 0..33). */
  matrix(): number[][] {
    return Array.from({ length: DIM }, (_, i) => Array.from(this.confMatrix.subarray(i * DIM, (i + 1) * DIM)));
  }

  result(): CityscapesPixelResult {
    if (this.pairs === 0) throw new Error('no image pairs were evaluated');
    const classScores: Record<string, number> = {};
    const classInstScores: Record<string, number> = {};
    for (const id of EVAL_LABEL_IDS) classScores[label(id).name] = this.classIou(id);
    for (const id of EVAL_LABEL_IDS) classInstScores[label(id).name] = this.classInstIou(id);
    const categoryScores: Record<string, number> = {};
    const categoryInstScores: Record<string, number> = {};
    for (const c of CATEGORIES) categoryScores[c] = this.categoryIou(c);
    for (const c of CATEGORIES) categoryInstScores[c] = this.categoryInstIou(c);
    return {
      classScores,
      classInstScores,
      categoryScores,
      categoryInstScores,
      averageScoreClasses: scoreAverage(classScores),
      averageScoreInstClasses: scoreAverage(classInstScores),
      averageScoreCategories: scoreAverage(categoryScores),
      averageScoreInstCategories: scoreAverage(categoryInstScores),
    };
  }
}

/** Evaluates a list of pairs at once. */
export function evaluatePixelLevel(pairs: Iterable<PairInput>): CityscapesPixelResult {
  const ev = new CityscapesPixelEvaluator();
  for (const p of pairs) ev.addPair(p);
  return ev.result();
}

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
const mapNull = (r: Record<string, number>): Record<string, number | null> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, nanToNull(v)]));

/** The result with NaN written as null (JSON has no NaN), keys in the script's order. */
export function pixelResultToJson(r: CityscapesPixelResult): CityscapesPixelJson {
  return {
    classScores: mapNull(r.classScores),
    classInstScores: mapNull(r.classInstScores),
    categoryScores: mapNull(r.categoryScores),
    categoryInstScores: mapNull(r.categoryInstScores),
    averageScoreClasses: nanToNull(r.averageScoreClasses),
    averageScoreInstClasses: nanToNull(r.averageScoreInstClasses),
    averageScoreCategories: nanToNull(r.averageScoreCategories),
    averageScoreInstCategories: nanToNull(r.averageScoreInstCategories),
  };
}

/** Reads back a serialized result (null -> NaN). */
export function pixelResultFromJson(j: CityscapesPixelJson): CityscapesPixelResult {
  const num = (v: number | null): number => (v === null ? NaN : v);
  const map = (r: Record<string, number | null>): Record<string, number> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)]));
  return {
    classScores: map(j.classScores),
    classInstScores: map(j.classInstScores),
    categoryScores: map(j.categoryScores),
    categoryInstScores: map(j.categoryInstScores),
    averageScoreClasses: num(j.averageScoreClasses),
    averageScoreInstClasses: num(j.averageScoreInstClasses),
    averageScoreCategories: num(j.averageScoreCategories),
    averageScoreInstCategories: num(j.averageScoreInstCategories),
  };
}

/** Python's '{:>5.3f}' for a float, 'nan' for NaN. */
function f3(v: number): string {
  return (Number.isNaN(v) ? 'nan' : v.toFixed(3)).padStart(5);
}

/** The script's printed score tables (classes and categories, IoU and nIoU), without colours. */
export function formatPixelTable(r: CityscapesPixelResult): string {
  const lines: string[] = [];
  const block = (title: string, names: string[], iou: Record<string, number>, niou: Record<string, number>, avg: number, navg: number) => {
    lines.push(`${title.padEnd(17)}IoU      nIoU`, '--------------------------------');
    for (const name of names) lines.push(`${name.padEnd(14)}: ${f3(iou[name])}    ${f3(niou[name])}`);
    lines.push('--------------------------------', `Score Average : ${f3(avg)}    ${f3(navg)}`, '--------------------------------', '');
  };
  const classNames = EVAL_LABEL_IDS.filter((id) => !label(id).ignoreInEval).map((id) => label(id).name);
  block('classes', classNames, r.classScores, r.classInstScores, r.averageScoreClasses, r.averageScoreInstClasses);
  const catNames = CATEGORIES.filter((c) => !cityscapesLabels.filter((l) => l.category === c).every((l) => l.ignoreInEval));
  block('categories', catNames, r.categoryScores, r.categoryInstScores, r.averageScoreCategories, r.averageScoreInstCategories);
  return lines.join('\n');
}
