// From a manifest and a split name to a Dataset: maps the manifest's split spec onto the
// format reader's spec.
import { readCityscapes } from './cityscapes.ts';
import { readCoco } from './coco.ts';
import { splitSpec, type Manifest } from './manifest.ts';
import type { ReadOptions } from './problems.ts';
import { DataError, type Dataset } from './types.ts';

export async function readSplit(m: Manifest, split: string, opts: ReadOptions = {}): Promise<Dataset> {
  const s = splitSpec(m, split);
  const need = (field: 'annotations' | 'images'): string => {
    const v = s[field];
    if (!v) throw new DataError(m.path, 'manifest', `splits.${split}.${field}`, `required for format ${m.format}`);
    return v;
  };
  switch (m.format) {
    case 'coco':
      return readCoco({ root: m.rootDir, annotations: need('annotations'), images: s.images ?? '', split }, opts);
    case 'cityscapes':
      return readCityscapes({ root: m.rootDir, split, folder: s.folder }, opts);
    case 'bdd100k':
      throw new DataError(m.path, 'manifest', 'format', 'bdd100k reading is not wired yet');
  }
}
