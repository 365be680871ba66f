// Relative IoU change of a model trained on anonymized data with respect to the same model
// trained on the original data, as Zhou & Beyerer report it (Table 1 of "Impact of Data
// Anonymization on Semantic Segmentation"): (IoU_anonymized - IoU_original) / IoU_original,
// per class, per category, and for the mean IoU. Both models are evaluated on the original
// validation set with the Cityscapes pixel-level evaluation. Values are fractions
// (multiply by 100 for the poster's percentages).
//
// NaN handling: the change is NaN when either IoU is NaN (in that evaluation the class is
// absent from both the ground truth and the prediction, or it is not evaluated) and when the
// original IoU is 0 (a relative change of a zero score is undefined). Only the 19 evaluated
// classes and the 7 categories with evaluated classes get an entry.
// The poster does not say how its mIoU row is formed. `mIoU` compares the two averages
// (averageScoreClasses / averageScoreCategories); each leaves its own NaN classes out, so when
// the two evaluations have different NaN classes the averages run over different class sets.
// `meanOfClassChanges` is the other reading: the mean of the per-class changes, NaN left out.
import { cityscapesLabels } from '../data/cityscapes-labels.ts';

/** (anonymized - original) / original; NaN when either is NaN or original is 0. */
export function relativeChange(original: number, anonymized: number): number {
  if (Number.isNaN(original) || Number.isNaN(anonymized) || original === 0) return NaN;
  return (anonymized - original) / original;
}

/** The IoU part of a pixel-level result, as computed (NaN) or as read from its JSON (null). */
export interface IouScores {
  classScores: Record<string, number | null>;
  categoryScores: Record<string, number | null>;
  averageScoreClasses: number | null;
  averageScoreCategories: number | null;
}

export interface RelativeIouChange {
  /** Per evaluated class (19), in label-table order. */
  classes: Record<string, number>;
  /** Per category with evaluated classes (flat, construction, object, nature, sky, human, vehicle). */
  categories: Record<string, number>;
  /** Change of the class mean IoU (averageScoreClasses). */
  mIoU: number;
  /** Change of the category mean IoU (averageScoreCategories). */
  mIoUCategories: number;
  /** Mean of the per-class changes, NaN classes left out. */
  meanOfClassChanges: number;
}

const EVAL_CLASSES = cityscapesLabels.filter((l) => l.id >= 0 && !l.ignoreInEval).map((l) => l.name);
const EVAL_CATEGORIES = [...new Set(cityscapesLabels.filter((l) => l.id >= 0 && !l.ignoreInEval).map((l) => l.category))];

function score(r: Record<string, number | null>, key: string, which: string): number {
  const v = r[key];
  if (v === undefined) throw new Error(`${which}: no score for '${key}'`);
  return v === null ? NaN : v; // JSON results carry null for NaN
}

export function relativeIouChange(original: IouScores, anonymized: IouScores): RelativeIouChange {
  const classes: Record<string, number> = {};
  for (const c of EVAL_CLASSES) classes[c] = relativeChange(score(original.classScores, c, 'original classScores'), score(anonymized.classScores, c, 'anonymized classScores'));
  const categories: Record<string, number> = {};
  for (const c of EVAL_CATEGORIES) {
    categories[c] = relativeChange(score(original.categoryScores, c, 'original categoryScores'), score(anonymized.categoryScores, c, 'anonymized categoryScores'));
  }
  const valid = Object.values(classes).filter((v) => !Number.isNaN(v));
  const nul = (v: number | null) => (v === null ? NaN : v);
  return {
    classes,
    categories,
    mIoU: relativeChange(nul(original.averageScoreClasses), nul(anonymized.averageScoreClasses)),
    mIoUCategories: relativeChange(nul(original.averageScoreCategories), nul(anonymized.averageScoreCategories)),
    meanOfClassChanges: valid.length ? valid.reduce((a, b) => a + b, 0) / valid.length : NaN,
  };
}
