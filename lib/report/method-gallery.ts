// A gallery of anonymization methods like the papers' qualitative figures: one row per image, the
// original first, then the image under each method (anonymizeSample: what the dataset runner
// would write for it), a caption under each ("Body - Blur"), composed by image-grid.ts.
import { createAnonymizer, type Anonymizer } from '../anonymize/anonymizer.ts';
import { anonymizeSample, pickSample, readSampleImage } from '../anonymize/anonymize-sample.ts';
import sharp from 'sharp';
import { encodeImage, type Image } from '../data/image.ts';
import type { Dataset, Sample } from '../data/types.ts';
import type { Dilation } from '../regions/body.ts';
import { DEFAULT_CATEGORIES } from '../regions/candidates.ts';
import type { RegionKind } from '../regions/region.ts';
import { imageGrid, type GridCell, type GridOptions } from './image-grid.ts';
import { methodLabel, regionLabel } from './labels.ts';

export interface GalleryEntry {
  region: RegionKind;
  method: string;
  params?: Record<string, unknown>;
  /** Caption (default "<Region> - <Method>", e.g. "Body - Blur"). */
  caption?: string;
  dilation?: Dilation;
  minSize?: number;
}

export interface GalleryOptions extends GridOptions {
  /** Categories to anonymize (default ['person']). */
  categories?: readonly string[];
  /** Seed of each image's random stream (default 0). */
  seed?: number;
  /** Face regions: detector for persons without a face box or head keypoints (default 'none'). */
  faceDetector?: 'blazeface' | 'none';
  /** Show the original first (default true). */
  original?: boolean;
  /** Wrap each image's cells into rows of this many (default: one row per image). */
  columns?: number;
  /**
   * Zoom every cell of an image onto its largest instance of `categories` (by area; crowds and
   * ignored regions left out): the instance's box grown by `margin` times its width and height on
   * each side (default 0.5), clamped to the image. Images without such an instance are shown whole.
   */
  focus?: { margin?: number };
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The focus rectangle of a sample (see GalleryOptions.focus), integer pixels inside the image. */
export function focusRect(sample: Sample, categories: readonly string[], margin = 0.5): Rect | undefined {
  let best: Sample['instances'][number] | undefined;
  for (const i of sample.instances) {
    if (!categories.includes(i.category) || i.iscrowd || i.ignore || !(i.bbox[2] > 0 && i.bbox[3] > 0)) continue;
    if (!best || i.area > best.area) best = i;
  }
  if (!best) return undefined;
  const [x, y, w, h] = best.bbox;
  const left = Math.max(0, Math.floor(x - margin * w));
  const top = Math.max(0, Math.floor(y - margin * h));
  const right = Math.min(sample.width, Math.ceil(x + w + margin * w));
  const bottom = Math.min(sample.height, Math.ceil(y + h + margin * h));
  return { left, top, width: right - left, height: bottom - top };
}

export interface Gallery {
  png: Buffer;
  /** Captions in reading order of the first row. */
  captions: string[];
  /** Regions anonymized per row and entry ([row][entry]). */
  regionCounts: number[][];
}

/** "<Region> - <Method>" as the papers caption their figures. */
export function entryCaption(e: GalleryEntry): string {
  return e.caption ?? `${regionLabel(e.region)} - ${methodLabel(e.method)}`;
}

/** The images `which` under every entry's method, as one PNG grid. */
export async function methodGallery(ds: Dataset, which: readonly (Sample | string | number)[], entries: readonly GalleryEntry[], options: GalleryOptions = {}): Promise<Gallery> {
  if (which.length === 0) throw new Error('method gallery: no images');
  const samples = which.map((w) => pickSample(ds, w));
  const showOriginal = options.original ?? true;
  const captions = [...(showOriginal ? ['Original'] : []), ...entries.map(entryCaption)];
  const anonymizers: Anonymizer[] = [];
  const rows: GridCell[][] = [];
  const regionCounts: number[][] = [];
  try {
    for (const e of entries) anonymizers.push(await createAnonymizer(e.method, e.params ?? {}));
    for (const sample of samples) {
      const original = await readSampleImage(ds, sample);
      const rect = options.focus ? focusRect(sample, options.categories ?? DEFAULT_CATEGORIES, options.focus.margin) : undefined;
      const cellImage = async (img: Image) => {
        const png = await encodeImage(img, 'png');
        return rect ? sharp(png).extract(rect).png().toBuffer() : png;
      };
      const row: GridCell[] = showOriginal ? [{ image: await cellImage(original), caption: 'Original' }] : [];
      const counts: number[] = [];
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        const r = await anonymizeSample(ds, sample, {
          region: e.region,
          method: e.method,
          params: e.params,
          categories: options.categories,
          dilation: e.dilation,
          minSize: e.minSize,
          faceDetector: options.faceDetector ?? 'none',
          seed: options.seed,
          image: original,
          anonymizer: anonymizers[i],
        });
        row.push({ image: await cellImage(r.image), caption: entryCaption(e) });
        counts.push(r.regions.length);
      }
      const per = options.columns ?? row.length;
      if (!Number.isInteger(per) || per < 1) throw new RangeError(`method gallery: columns must be a positive integer, got ${options.columns}`);
      for (let k = 0; k < row.length; k += per) rows.push(row.slice(k, k + per));
      regionCounts.push(counts);
    }
  } finally {
    for (const a of anonymizers) await a.dispose();
  }
  const { categories: _c, seed: _s, faceDetector: _f, original: _o, columns: _n, focus: _z, ...grid } = options;
  const png = await imageGrid(rows, { cellWidth: 256, fontSize: 13, ...grid });
  return { png, captions, regionCounts };
}
