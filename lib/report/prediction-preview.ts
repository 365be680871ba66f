// What a model predicts, beside the ground truth: for a few images of the split a model was scored
// on, the ground-truth instances and each model's predicted instances (masks tinted per category,
// as annotationPreview draws annotations), one row per image, one column per model. Predictions
// are read from a prediction folder as `anon-impact predict` writes it (results.json, COCO results
// with RLE masks, and gt.json, whose images give the results' image ids); only those scoring at
// least `scoreThreshold` are drawn, as a detector's demo draws them. Instances and keypoints only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pickSample } from '../anonymize/anonymize-sample.ts';
import { decodeImage, encodeImage } from '../data/image.ts';
import { fromString } from '../data/masks/index.ts';
import { drawPreview, type PreviewInstance } from '../data/synth/preview.ts';
import { DataError, type Dataset, type Sample } from '../data/types.ts';
import { imageGrid, type GridOptions } from './image-grid.ts';

export interface PredictionColumn {
  /** Caption of the column, e.g. "trained on the original". */
  caption: string;
  /** A prediction folder (results.json and gt.json). */
  pred: string;
}

export interface PredictionPreviewOptions extends Pick<GridOptions, 'cellWidth' | 'fontSize'> {
  /** Lowest score drawn (default 0.3). */
  scoreThreshold?: number;
  /** Caption of the ground-truth column (default "ground truth"). */
  groundTruthCaption?: string;
}

interface CocoResult {
  image_id: number;
  category_id: number;
  score: number;
  segmentation?: { size: [number, number]; counts: string | number[] };
  keypoints?: number[];
}

interface PredictionFolder {
  /** image id by file name (as gt.json writes it) */
  ids: Map<string, number>;
  categories: Map<number, string>;
  byImage: Map<number, CocoResult[]>;
}

async function readJson<T>(file: string): Promise<T> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new DataError(file, 'file', 'read', e.code === 'ENOENT' ? 'not found: is this a prediction folder written by anon-impact predict?' : e.message);
  });
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DataError(file, 'file', 'json', (e as Error).message);
  }
}

async function readPredictions(dir: string): Promise<PredictionFolder> {
  const gt = await readJson<{ images?: { id: number; file_name: string }[]; categories?: { id: number; name: string }[] }>(join(dir, 'gt.json'));
  const results = await readJson<CocoResult[]>(join(dir, 'results.json'));
  if (!Array.isArray(gt.images) || !Array.isArray(gt.categories)) throw new DataError(join(dir, 'gt.json'), 'file', 'images', 'a COCO ground truth needs images and categories');
  if (!Array.isArray(results)) throw new DataError(join(dir, 'results.json'), 'file', 'results', 'expected a JSON array of COCO results');
  const byImage = new Map<number, CocoResult[]>();
  for (const r of results) {
    const list = byImage.get(r.image_id) ?? [];
    list.push(r);
    byImage.set(r.image_id, list);
  }
  return { ids: new Map(gt.images.map((i) => [i.file_name, i.id])), categories: new Map(gt.categories.map((c) => [c.id, c.name])), byImage };
}

/** The predictions of `sample` that score at least `threshold`, as preview instances (highest score drawn last, on top). */
function predictedInstances(f: PredictionFolder, dir: string, sample: Sample, width: number, height: number, threshold: number): PreviewInstance[] {
  const id = f.ids.get(sample.file) ?? [...f.ids].find(([name]) => name.endsWith(`/${sample.file}`) || sample.file.endsWith(`/${name}`))?.[1];
  if (id === undefined) throw new DataError(join(dir, 'gt.json'), `image ${sample.file}`, 'file_name', 'not among the images these predictions were made for (another split or dataset?)');
  const out: PreviewInstance[] = [];
  const kept = (f.byImage.get(id) ?? []).filter((r) => r.score >= threshold).sort((a, b) => a.score - b.score);
  for (const [k, r] of kept.entries()) {
    if (!r.segmentation) continue;
    const [h, w] = r.segmentation.size;
    if (h !== height || w !== width) throw new DataError(join(dir, 'results.json'), `result ${k} of image ${id}`, 'segmentation.size', `[${h}, ${w}] on an image of ${height}x${width}`);
    const counts = r.segmentation.counts;
    const mask = typeof counts === 'string' ? fromString(counts, h, w) : { h, w, counts: Uint32Array.from(counts) };
    out.push({ mask, category: f.categories.get(r.category_id) ?? String(r.category_id), iscrowd: false, keypoints: r.keypoints });
  }
  return out;
}

/** A PNG grid: per image the ground truth, then each column's predictions. */
export async function predictionPreview(ds: Dataset, images: readonly (number | string)[], columns: readonly PredictionColumn[], options: PredictionPreviewOptions = {}): Promise<Buffer> {
  const threshold = options.scoreThreshold ?? 0.3;
  const folders = await Promise.all(columns.map((c) => readPredictions(c.pred)));
  const rows = [];
  for (const which of images) {
    const sample = pickSample(ds, which);
    const image = await decodeImage(join(ds.root, sample.file), 3);
    const cells = [{ image: await encodeImage(drawPreview(image, sample.instances.filter((i) => !i.iscrowd)), 'png'), caption: options.groundTruthCaption ?? 'ground truth' }];
    for (const [j, c] of columns.entries()) {
      const inst = predictedInstances(folders[j]!, c.pred, sample, image.width, image.height, threshold);
      cells.push({ image: await encodeImage(drawPreview(image, inst), 'png'), caption: c.caption });
    }
    rows.push(cells);
  }
  return imageGrid(rows, { cellWidth: options.cellWidth ?? 360, fontSize: options.fontSize ?? 14 });
}
