// One entry point for every dataset format: readDataset / writeDataset dispatch on `format`
// to the COCO, Cityscapes and BDD100K readers and writers.
import { readBdd100k, writeBitmasks, writeScalabel, type Bdd100kSpec } from './bdd100k.ts';
import { readCityscapes, writeCityscapes, type CityscapesSpec } from './cityscapes.ts';
import { readCoco, writeCoco, type CocoSpec } from './coco.ts';
import type { ReadOptions } from './problems.ts';
import { DataError, type Dataset } from './types.ts';

export type { ReadOptions } from './problems.ts';

/** What to read: the format, the root, the split and the format's own paths. */
export type DatasetSpec =
  | ({ format: 'coco' } & CocoSpec & { split: string })
  | ({ format: 'cityscapes' } & CityscapesSpec)
  | ({ format: 'bdd100k' } & Bdd100kSpec);

/**
 * Reads a split. With `opts.onProblem` every problem is reported and the bad record skipped;
 * without it the first problem is thrown as a DataError.
 */
export async function readDataset(spec: DatasetSpec, opts: ReadOptions = {}): Promise<Dataset> {
  switch (spec.format) {
    case 'coco': {
      const { format: _f, ...s } = spec;
      return readCoco(s, opts);
    }
    case 'cityscapes': {
      const { format: _f, ...s } = spec;
      return readCityscapes(s, opts);
    }
    case 'bdd100k': {
      const { format: _f, ...s } = spec;
      return readBdd100k(s, opts);
    }
    default: {
      const f = (spec as { format?: unknown }).format;
      const e = new DataError(String((spec as { root?: unknown }).root ?? '(spec)'), 'dataset spec', 'format', `unknown format ${JSON.stringify(f)} (coco, cityscapes, bdd100k)`);
      if (opts.onProblem) {
        opts.onProblem(e);
        return { format: 'coco', root: '', split: String((spec as { split?: unknown }).split ?? ''), categories: [], samples: [] };
      }
      throw e;
    }
  }
}

/** Where and how to write. Images are always the caller's job. */
export type WriteSpec =
  /** COCO annotation JSON at `annotations` (relative to root); file_name relative to `images`. */
  | { format: 'coco'; root: string; annotations: string; images?: string; indent?: number }
  /** Cityscapes gtFine label files copied from the source root to the same paths under `root`. */
  | { format: 'cityscapes'; root: string }
  /** BDD100K: Scalabel JSON at `annotations` and/or RGBA bitmasks in the folder `bitmasks`. */
  | { format: 'bdd100k'; root: string; annotations?: string; bitmasks?: string; images?: string; indent?: number };

/** Writes `ds` in the spec's format under `spec.root` (never the dataset's own root). */
export async function writeDataset(ds: Dataset, spec: WriteSpec): Promise<void> {
  switch (spec.format) {
    case 'coco':
      await writeCoco(ds, spec);
      return;
    case 'cityscapes':
      await writeCityscapes(ds, spec.root);
      return;
    case 'bdd100k':
      if (spec.annotations === undefined && spec.bitmasks === undefined) throw new Error('writeDataset bdd100k: give `annotations` (Scalabel JSON), `bitmasks` (folder) or both');
      if (spec.annotations !== undefined) await writeScalabel(ds, { root: spec.root, annotations: spec.annotations, images: spec.images, indent: spec.indent });
      if (spec.bitmasks !== undefined) await writeBitmasks(ds, { root: spec.root, bitmasks: spec.bitmasks });
      return;
    default:
      throw new Error(`writeDataset: unknown format ${JSON.stringify((spec as { format?: unknown }).format)} (coco, cityscapes, bdd100k)`);
  }
}
