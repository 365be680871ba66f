// Licence plates in COCO JSON (lib/data/plate.ts): annotations of the category named
// 'license plate' become `Sample.plates`, not instances, and that category stays out of
// `Dataset.categories` (it is `Dataset.plateCategory`), so that no task model trains a plate class
// and no evaluation counts one. They are read from the split's annotation file itself (coco.ts)
// and, where the manifest names one (`plates`), from a second COCO JSON over the same images: the
// synthetic set's instances_<split>.json beside its person_keypoints_<split>.json. Of that file
// only the plate annotations are read; each image is matched to the split's by id and file name.
// A plate's box is its `bbox`; without one, the tight box of its segmentation.
import { segmentationToRle, toBbox } from './masks/index.ts';
import { PLATE_LABEL } from './plate.ts';
import { readJsonFile, type Problems } from './problems.ts';
import { DataError, type Box, type Category, type Dataset, type Plate, type Sample } from './types.ts';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function isPlateCategory(c: Pick<Category, 'name'>): boolean {
  return c.name === PLATE_LABEL;
}

/** The plate an annotation of the plate category gives (throws a DataError naming the field). */
export function plateOf(a: Json, sample: Sample, file: string, record: string): Plate {
  let box: Box;
  const b = a.bbox;
  if (b !== undefined && b !== null) {
    if (!Array.isArray(b) || b.length !== 4 || !b.every(isFiniteNum) || b[2] < 0 || b[3] < 0) {
      throw new DataError(file, record, 'bbox', `expected [x, y, width, height] of 4 finite numbers, width and height >= 0, got ${JSON.stringify(b)}`);
    }
    box = [b[0], b[1], b[2], b[3]];
  } else if (a.segmentation !== undefined && a.segmentation !== null) {
    box = toBbox(segmentationToRle(a.segmentation as never, sample.height, sample.width, { file, record, field: 'segmentation' }));
  } else throw new DataError(file, record, 'bbox', 'a licence plate needs a bbox or a segmentation');
  return { id: a.id as number, box, source: a };
}

/**
 * Adds the plates of a second COCO JSON (`file`) to the split's samples (by COCO image id), and
 * its plate category to `ds` when the split's own file had none.
 */
export async function readPlatesFile(file: string, ds: Dataset, samples: ReadonlyMap<number, Sample>, usedIds: Set<number>, problems: Problems): Promise<void> {
  const json = await readJsonFile(file, problems);
  if (json === undefined) return;
  if (!isObj(json) || !Array.isArray(json.categories) || !Array.isArray(json.images) || !Array.isArray(json.annotations)) {
    return problems.report(file, 'file', 'json', 'expected a COCO JSON object with images, annotations and categories');
  }
  const cats = json.categories.filter((c): c is Json => isObj(c) && isInt(c.id) && c.name === PLATE_LABEL);
  if (cats.length === 0) return problems.report(file, 'file', 'categories', `no '${PLATE_LABEL}' category: nothing to read licence plates from`);
  const plateIds = new Set(cats.map((c) => c.id as number));
  ds.plateCategory ??= { id: cats[0]!.id as number, name: PLATE_LABEL, ...(typeof cats[0]!.supercategory === 'string' ? { supercategory: cats[0]!.supercategory } : {}) };
  const names = new Map<number, unknown>();
  for (const im of json.images) if (isObj(im) && isInt(im.id)) names.set(im.id, im.file_name);
  for (let i = 0; i < json.annotations.length; i++) {
    const a: unknown = json.annotations[i];
    if (!isObj(a) || !plateIds.has(a.category_id as number)) continue;
    const record = isInt(a.id) ? `annotation id ${a.id}` : `annotation #${i}`;
    if (!isInt(a.id)) {
      problems.report(file, record, 'id', `expected an integer, got ${JSON.stringify(a.id)}`);
      continue;
    }
    if (usedIds.has(a.id)) {
      problems.report(file, record, 'id', 'duplicate annotation id (also in the split or earlier in this file)');
      continue;
    }
    const sample = isInt(a.image_id) ? samples.get(a.image_id) : undefined;
    if (!sample) {
      problems.report(file, record, 'image_id', `no image with id ${JSON.stringify(a.image_id)} in the split`);
      continue;
    }
    const own = isObj(sample.source) ? sample.source.file_name : undefined;
    if (names.get(a.image_id as number) !== own) {
      problems.report(file, record, 'image_id', `image ${String(a.image_id)} is '${String(names.get(a.image_id as number))}' here, '${String(own)}' in the split`);
      continue;
    }
    const plate = await problems.guard(file, record, 'bbox', () => plateOf(a, sample, file, record));
    if (!plate) continue;
    usedIds.add(a.id);
    (sample.plates ??= []).push(plate);
  }
}
