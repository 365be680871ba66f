// COCO evaluation end to end, as one would run pycocotools: COCO(gt), loadRes(results),
// COCOeval(...).evaluate(); accumulate(); summarize(); plus per-category AP.
import { readJsonFile } from './coco-json.ts';
import { loadCocoGt, loadCocoResults } from './coco-load.ts';
import type { CocoEvalResult } from './cocoeval.ts';
import { evaluateCoco } from './cocoeval.ts';
import type { IouType } from './coco-params.ts';
import { defaultParams } from './coco-params.ts';
import { perCategoryAp, summarize } from './coco-summary.ts';

export interface CocoSummary {
  iouType: IouType;
  /** COCOeval.stats: 12 numbers (bbox, segm) or 10 (keypoints), fractions, -1 where undefined. */
  stats: number[];
  /** AP x 100 per category name (detectron2's per-category table); null where undefined. */
  perCategory: Record<string, number | null>;
  /** The lines COCOeval.summarize() prints. */
  lines: string[];
  /** The accumulated precision / recall arrays. */
  eval: CocoEvalResult;
}

/** Evaluates parsed ground-truth and results JSON; the names are used in error messages. */
export function evaluateCocoJson(gtJson: unknown, resultsJson: unknown, iouType: IouType, names: { gt?: string; results?: string } = {}): CocoSummary {
  const gt = loadCocoGt(gtJson, names.gt ?? '(ground truth)', iouType);
  const dt = loadCocoResults(resultsJson, gt, iouType, names.results ?? '(results)');
  const ev = evaluateCoco(gt, dt, defaultParams(iouType));
  const { stats, lines } = summarize(ev);
  return { iouType, stats, perCategory: perCategoryAp(ev), lines, eval: ev };
}

/** Reads and evaluates a ground-truth file and a results file. */
export async function evaluateCocoFiles(gtFile: string, resultsFile: string, iouType: IouType): Promise<CocoSummary> {
  const [gtJson, resJson] = await Promise.all([readJsonFile(gtFile), readJsonFile(resultsFile)]);
  return evaluateCocoJson(gtJson, resJson, iouType, { gt: gtFile, results: resultsFile });
}
