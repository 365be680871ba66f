// The evaluate stage: a trained run's predictions on the ORIGINAL validation split, scored the
// way the papers score them, as metric values named in detectron2's style (lib/experiments/metric-row.ts).
//   instances on a Cityscapes-format dataset: cityscapesScripts' instance-level AP (Hukkelås &
//     Lindseth Table 1 and the DNAT whitepaper report it) -> segm/AP, segm/AP50, segm/AP-<class>;
//     plus pycocotools' box AP on the same predictions -> bbox/AP, bbox/AP50, bbox/AP-<class>.
//   instances on a COCO- or BDD100K-format dataset: pycocotools segm and bbox AP.
//   keypoints: pycocotools keypoints and bbox AP (Table 3: Box AP, Kp. AP).
//   semseg on a Cityscapes-format dataset: cityscapesScripts' pixel-level IoU/iIoU per class and
//     category (Zhou & Beyerer) -> sem_seg/mIoU, sem_seg/IoU-<class>, sem_seg/iIoU-<class>,
//     sem_seg/IoU-category-<category>.
// AP and IoU values are in percent, as detectron2 and the papers print them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cityscapesPaths } from '../data/cityscapes.ts';
import { labelByName } from '../data/cityscapes-labels.ts';
import { decodeImage, decodeImage16 } from '../data/image.ts';
import { fromJson } from '../data/masks/index.ts';
import { splitSpec, type Manifest } from '../data/manifest.ts';
import { readSplit } from '../data/open.ts';
import { CityscapesInstanceEvaluator, type InstancePrediction } from '../eval/cityscapes-instance.ts';
import { CityscapesPixelEvaluator } from '../eval/cityscapes-pixel.ts';
import { evaluateCocoFiles } from '../eval/coco.ts';
import type { Task } from './spec.ts';

export type Metrics = Record<string, number>;

const pct = (v: number) => (v < 0 || !Number.isFinite(v) ? NaN : 100 * v);

/** pycocotools' 12 (or 10) summary statistics and detectron2's per-category AP. */
function cocoMetrics(family: string, r: { stats: number[]; perCategory: Record<string, number | null> }): Metrics {
  const names = family === 'keypoints' ? ['AP', 'AP50', 'AP75', 'APm', 'APl'] : ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl'];
  const out: Metrics = {};
  names.forEach((n, i) => (out[`${family}/${n}`] = pct(r.stats[i]!)));
  for (const [c, ap] of Object.entries(r.perCategory)) out[`${family}/AP-${c}`] = ap === null ? NaN : ap;
  return out;
}

interface CocoGtJson {
  images: { id: number; file_name: string; width: number; height: number }[];
  categories: { id: number; name: string }[];
}

interface CocoResult {
  image_id: number;
  category_id: number;
  score: number;
  segmentation?: { size: [number, number]; counts: string };
}

/** Cityscapes instance-level AP of COCO-format results over a Cityscapes-format split. */
async function cityscapesInstanceMetrics(m: Manifest, split: string, gtFile: string, resultsFile: string): Promise<Metrics> {
  const ds = await readSplit(m, split);
  const gt = JSON.parse(await readFile(gtFile, 'utf8')) as CocoGtJson;
  const results = JSON.parse(await readFile(resultsFile, 'utf8')) as CocoResult[];
  const category = new Map(gt.categories.map((c) => [c.id, c.name]));
  const byImage = new Map<number, CocoResult[]>();
  for (const r of results) {
    let l = byImage.get(r.image_id);
    if (!l) byImage.set(r.image_id, (l = []));
    l.push(r);
  }
  // COCO image ids follow the split's sample order (cocoJson of lib/data/coco.ts).
  if (gt.images.length !== ds.samples.length) throw new Error(`${gtFile}: ${gt.images.length} images, the split has ${ds.samples.length}`);
  const folder = splitSpec(m, split).folder ?? split;
  const ev = new CityscapesInstanceEvaluator();
  for (let i = 0; i < ds.samples.length; i++) {
    const s = ds.samples[i]!;
    const img = gt.images[i]!;
    const ids = await decodeImage16(join(m.rootDir, s.extraFiles?.instanceIds ?? cityscapesPaths(folder, s.id).instanceIds));
    const preds: InstancePrediction[] = [];
    for (const r of byImage.get(img.id) ?? []) {
      const name = category.get(r.category_id);
      const label = name ? labelByName(name) : undefined;
      if (!label || !r.segmentation) continue;
      preds.push({ labelId: label.id, score: r.score, mask: fromJson(r.segmentation, s.height, s.width) });
    }
    ev.addImage({ width: ids.width, height: ids.height, instanceIds: ids.data, name: s.id }, preds);
  }
  const res = ev.result();
  const out: Metrics = { 'segm/AP': 100 * res.averages.allAp, 'segm/AP50': 100 * res.averages['allAp50%'] };
  for (const [c, v] of Object.entries(res.classes)) out[`segm/AP-${c}`] = 100 * v.ap;
  return out;
}

/** Cityscapes pixel-level scores of label-id PNGs over a Cityscapes-format split. */
async function cityscapesPixelMetrics(m: Manifest, split: string, labelDir: string): Promise<Metrics> {
  const ds = await readSplit(m, split);
  const folder = splitSpec(m, split).folder ?? split;
  const ev = new CityscapesPixelEvaluator();
  for (const s of ds.samples) {
    const paths = cityscapesPaths(folder, s.id);
    const gt = await decodeImage(join(m.rootDir, s.extraFiles?.labelIds ?? paths.labelIds), 1);
    const inst = await decodeImage16(join(m.rootDir, s.extraFiles?.instanceIds ?? paths.instanceIds));
    const pred = await decodeImage(join(labelDir, `${s.id}_labelIds.png`), 1);
    ev.addPair({ width: gt.width, height: gt.height, gt: gt.data, pred: pred.data, instanceIds: inst.data, gtName: s.id });
  }
  const r = ev.result();
  const out: Metrics = { 'sem_seg/mIoU': 100 * r.averageScoreClasses, 'sem_seg/iIoU': 100 * r.averageScoreInstClasses };
  for (const [c, v] of Object.entries(r.classScores)) if (!Number.isNaN(v) || labelByName(c)?.ignoreInEval === false) out[`sem_seg/IoU-${c}`] = 100 * v;
  for (const [c, v] of Object.entries(r.classInstScores)) if (labelByName(c)?.ignoreInEval === false) out[`sem_seg/iIoU-${c}`] = 100 * v;
  for (const [c, v] of Object.entries(r.categoryScores)) if (c !== 'void') out[`sem_seg/IoU-category-${c}`] = 100 * v;
  return out;
}

export interface PredictionFiles {
  results?: string;
  gt?: string;
  labelDir?: string;
}

/** Scores predictions written by `predict` for `task` on the manifest's `split`. */
export async function scorePredictions(m: Manifest, split: string, task: Task, files: PredictionFiles): Promise<Metrics> {
  if (task === 'semseg') {
    if (m.format !== 'cityscapes' || !files.labelDir) throw new Error(`semantic segmentation is evaluated with cityscapesScripts' pixel-level metrics: needs a Cityscapes-format dataset (got ${m.format})`);
    return cityscapesPixelMetrics(m, split, files.labelDir);
  }
  if (!files.results || !files.gt) throw new Error('predictions lack results.json or the ground-truth JSON');
  if (task === 'keypoints') {
    return { ...cocoMetrics('keypoints', await evaluateCocoFiles(files.gt, files.results, 'keypoints')), ...cocoMetrics('bbox', await evaluateCocoFiles(files.gt, files.results, 'bbox')) };
  }
  const bbox = cocoMetrics('bbox', await evaluateCocoFiles(files.gt, files.results, 'bbox'));
  if (m.format === 'cityscapes') return { ...(await cityscapesInstanceMetrics(m, split, files.gt, files.results)), ...bbox };
  return { ...cocoMetrics('segm', await evaluateCocoFiles(files.gt, files.results, 'segm')), ...bbox };
}
