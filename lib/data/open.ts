// From a manifest and a split name to a Dataset: maps the manifest's split spec onto the
// format reader's spec (lib/data/dataset.ts).
import { readDataset, type DatasetSpec } from './dataset.ts';
import { splitSpec, type Manifest } from './manifest.ts';
import type { ReadOptions } from './problems.ts';
import { DataError, type Dataset } from './types.ts';

/** The reader spec for one split of a manifest. */
export function datasetSpec(m: Manifest, split: string): DatasetSpec {
  const s = splitSpec(m, split);
  const missing = (field: string) => new DataError(m.path, 'manifest', `splits.${split}.${field}`, `required for format ${m.format}`);
  // Cityscapes carries its plates in _gtFine_polygons.json; BDD100K has none
  if (s.plates !== undefined && m.format !== 'coco') throw new DataError(m.path, 'manifest', `splits.${split}.plates`, m.format === 'cityscapes' ? 'only for format coco (Cityscapes licence plates are read from gtFine/*_gtFine_polygons.json)' : 'only for format coco (BDD100K has no licence plates)');
  switch (m.format) {
    case 'coco':
      if (!s.annotations) throw missing('annotations');
      return { format: 'coco', root: m.rootDir, annotations: s.annotations, plates: s.plates, images: s.images ?? '', split };
    case 'cityscapes':
      return { format: 'cityscapes', root: m.rootDir, split, folder: s.folder };
    case 'bdd100k':
      if (!s.annotations && !s.bitmasks) throw missing('annotations (or bitmasks)');
      return { format: 'bdd100k', root: m.rootDir, split, annotations: s.annotations, bitmasks: s.bitmasks, images: s.images ?? '' };
  }
}

export async function readSplit(m: Manifest, split: string, opts: ReadOptions = {}): Promise<Dataset> {
  return readDataset(datasetSpec(m, split), opts);
}
