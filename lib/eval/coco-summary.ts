// COCOeval.summarize(): the 12 detection statistics (bbox, segm) or the 10 keypoint statistics,
// each the mean of the precision (or recall) entries > -1 of its setting (numpy's mean, summed in
// numpy's order), or -1 when there are none; and the text lines pycocotools prints for them.
// Plus per-category AP as detectron2's COCOEvaluator._derive_coco_results computes it:
// mean of precision[:, :, k, area all, last maxDets] over entries > -1, times 100; null (NaN there)
// when a category has no such entry.
import type { CocoEvalResult } from './cocoeval.ts';
import { pairwiseSum } from './pairwise-sum.ts';

interface Setting {
  ap: boolean;
  iouThr: number | null;
  areaRng: string;
  maxDets: number;
}

/** One summary statistic, as COCOeval.summarize's inner _summarize computes it. */
export function summarizeOne(ev: CocoEvalResult, s: Setting): number {
  const p = ev.params;
  const [T, R, K, A, M] = ev.counts;
  const aind: number[] = [];
  p.areaRngLbl.forEach((l, i) => l === s.areaRng && aind.push(i));
  const mind: number[] = [];
  p.maxDets.forEach((m, i) => m === s.maxDets && mind.push(i));
  const tind: number[] = [];
  for (let t = 0; t < T; t++) if (s.iouThr === null || p.iouThrs[t] === s.iouThr) tind.push(t);
  // s[:, :, :, aind, mind] pairs aind with mind elementwise (numpy advanced indexing).
  const pairs = Math.max(aind.length, mind.length);
  const vals: number[] = [];
  for (const t of tind) {
    if (s.ap) {
      for (let r = 0; r < R; r++)
        for (let k = 0; k < K; k++)
          for (let q = 0; q < pairs; q++) {
            const a = aind[aind.length === 1 ? 0 : q];
            const m = mind[mind.length === 1 ? 0 : q];
            if (a === undefined || m === undefined) continue;
            const v = ev.precision[(((t * R + r) * K + k) * A + a) * M + m];
            if (v > -1) vals.push(v);
          }
    } else {
      for (let k = 0; k < K; k++)
        for (let q = 0; q < pairs; q++) {
          const a = aind[aind.length === 1 ? 0 : q];
          const m = mind[mind.length === 1 ? 0 : q];
          if (a === undefined || m === undefined) continue;
          const v = ev.recall[((t * K + k) * A + a) * M + m];
          if (v > -1) vals.push(v);
        }
    }
  }
  if (vals.length === 0) return -1;
  return pairwiseSum(vals) / vals.length;
}

/** Python's '{:0.3f}'.format(x): round half to even on the exact binary value. */
export function format3(x: number): string {
  const s = x.toFixed(3);
  // toFixed rounds exact ties up (away from zero); a double is exactly halfway between two
  // 3-decimal numbers only when 16x is an odd integer (x = j/16 with j odd).
  const x16 = x * 16;
  if (Number.isInteger(x16) && Math.abs(x16) % 2 === 1) {
    const lastDigit = Number(s[s.length - 1]);
    if (lastDigit % 2 === 1) {
      const down = (Math.sign(x) * (Math.abs(Number(s)) - 0.001)).toFixed(3);
      return down;
    }
  }
  return s;
}

function line(ev: CocoEvalResult, s: Setting, value: number): string {
  const p = ev.params;
  const title = (s.ap ? 'Average Precision' : 'Average Recall').padEnd(18);
  const type = s.ap ? '(AP)' : '(AR)';
  const iouStr = s.iouThr === null ? `${p.iouThrs[0].toFixed(2)}:${p.iouThrs[p.iouThrs.length - 1].toFixed(2)}` : s.iouThr.toFixed(2);
  return ` ${title} ${type} @[ IoU=${iouStr.padEnd(9)} | area=${s.areaRng.padStart(6)} | maxDets=${String(s.maxDets).padStart(3)} ] = ${format3(value)}`;
}

function settings(ev: CocoEvalResult): Setting[] {
  const S = (ap: boolean, iouThr: number | null, areaRng: string, maxDets: number): Setting => ({ ap, iouThr, areaRng, maxDets });
  if (ev.params.iouType === 'keypoints') {
    return [
      S(true, null, 'all', 20),
      S(true, 0.5, 'all', 20),
      S(true, 0.75, 'all', 20),
      S(true, null, 'medium', 20),
      S(true, null, 'large', 20),
      S(false, null, 'all', 20),
      S(false, 0.5, 'all', 20),
      S(false, 0.75, 'all', 20),
      S(false, null, 'medium', 20),
      S(false, null, 'large', 20),
    ];
  }
  const md = ev.params.maxDets;
  return [
    S(true, null, 'all', 100),
    S(true, 0.5, 'all', md[2]),
    S(true, 0.75, 'all', md[2]),
    S(true, null, 'small', md[2]),
    S(true, null, 'medium', md[2]),
    S(true, null, 'large', md[2]),
    S(false, null, 'all', md[0]),
    S(false, null, 'all', md[1]),
    S(false, null, 'all', md[2]),
    S(false, null, 'small', md[2]),
    S(false, null, 'medium', md[2]),
    S(false, null, 'large', md[2]),
  ];
}

/** COCOeval.summarize(): `stats` (12 for bbox/segm, 10 for keypoints) and the printed lines. */
export function summarize(ev: CocoEvalResult): { stats: number[]; lines: string[] } {
  const stats: number[] = [];
  const lines: string[] = [];
  for (const s of settings(ev)) {
    const v = summarizeOne(ev, s);
    stats.push(v);
    lines.push(line(ev, s, v));
  }
  return { stats, lines };
}

/**
 * Per-category AP x 100 by category name (detectron2 _derive_coco_results): precision over all
 * IoU thresholds and recall points, area 'all' (index 0), the last maxDets; null when undefined.
 * A name shared by several categories gets its id appended: "name (id)". With unit 'fraction'
 * the mean itself, in the unit of `stats` (not the percent value divided by 100, which can
 * differ from it in the last bit).
 */
export function perCategoryAp(ev: CocoEvalResult, unit: 'percent' | 'fraction' = 'percent'): Record<string, number | null> {
  const [T, R, K, A, M] = ev.counts;
  const out: Record<string, number | null> = {};
  const seen = new Map<string, number>();
  for (const n of ev.catNames) seen.set(n, (seen.get(n) ?? 0) + 1);
  for (let k = 0; k < K; k++) {
    const vals: number[] = [];
    for (let t = 0; t < T; t++)
      for (let r = 0; r < R; r++) {
        const v = ev.precision[(((t * R + r) * K + k) * A + 0) * M + (M - 1)];
        if (v > -1) vals.push(v);
      }
    const name = seen.get(ev.catNames[k])! > 1 ? `${ev.catNames[k]} (${String(ev.catIds[k])})` : ev.catNames[k];
    const mean = pairwiseSum(vals) / vals.length;
    out[name] = vals.length === 0 ? null : unit === 'percent' ? mean * 100 : mean;
  }
  return out;
}
