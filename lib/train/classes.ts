// What a dataset's classes are to a task model: the class index of every output channel, the id
// each class is written out as, which classes have instances, and which dataset category trains
// which class.
//
// Cityscapes-format datasets use the benchmark's 19 train ids for semantic segmentation (class
// index = trainId; 255 is ignored) and, for instance segmentation, background + the 8 instance
// classes (person, rider, car, truck, bus, train, motorcycle, bicycle; every other evaluated
// class is background, as Mask R-CNN sees them); both write Cityscapes label ids. Other formats
// (COCO, BDD100K) use class 0 for
// background and 1..K for the dataset's categories in their order, written out as the category
// ids (background as 0). Keypoints use the one category that names 17 keypoints.
//
// Excluded categories (the supplementary material's Table 5 trains "without the person class")
// are treated as if their annotations had been removed and their pixels were void: they train no
// class, have no instances, and their pixels are unlabelled in every loss.
import { cityscapesLabels, labelById } from '../data/cityscapes-labels.ts';
import type { Dataset } from '../data/types.ts';
import type { Task } from '../models/dense.ts';

export interface ClassSpec {
  scheme: 'cityscapes-trainids' | 'cityscapes-things' | 'categories' | 'keypoints';
  /** Class names by class index. */
  names: string[];
  /** The id each class index is written out as (Cityscapes label id, COCO category id). */
  outputIds: number[];
  /** Class indices that have instances. */
  thingClasses: number[];
  /** Dataset category id -> class index, for the categories that train a class. */
  categoryToClass: Record<string, number>;
  /** Category names left out of training (their pixels unlabelled). */
  excluded: string[];
  /** Class indices of excluded categories that stay in the output (Cityscapes schemes): never trained. */
  ignoredClasses: number[];
  /** Cityscapes schemes: class index (or 255) of every label id 0..255 of the gtFine labelIds images. */
  labelLut?: number[];
}

export const IGNORE_LABEL = 255;

/** The 19 Cityscapes train-id classes, label id = the first label with that trainId. */
function cityscapesSpec(): ClassSpec {
  const names: string[] = [];
  const outputIds: number[] = [];
  for (let t = 0; t < 19; t++) {
    const l = cityscapesLabels.find((x) => x.trainId === t);
    if (!l) throw new Error(`Cityscapes label table has no trainId ${t}`);
    names.push(l.name);
    outputIds.push(l.id);
  }
  const thingClasses: number[] = [];
  const categoryToClass: Record<string, number> = {};
  for (const l of cityscapesLabels) {
    if (l.hasInstances && l.trainId >= 0 && l.trainId < 19) {
      categoryToClass[String(l.id)] = l.trainId;
      if (!thingClasses.includes(l.trainId)) thingClasses.push(l.trainId);
    }
  }
  thingClasses.sort((a, b) => a - b);
  return { scheme: 'cityscapes-trainids', names, outputIds, thingClasses, categoryToClass, excluded: [], ignoredClasses: [] };
}

/** Background + the 8 Cityscapes instance classes. */
function cityscapesThingsSpec(): ClassSpec {
  const things = cityscapesLabels.filter((l) => l.hasInstances && l.trainId >= 0 && l.trainId < 19).sort((a, b) => a.trainId - b.trainId);
  const categoryToClass: Record<string, number> = {};
  things.forEach((l, i) => (categoryToClass[String(l.id)] = i + 1));
  return {
    scheme: 'cityscapes-things',
    names: ['background', ...things.map((l) => l.name)],
    outputIds: [0, ...things.map((l) => l.id)],
    thingClasses: things.map((_, i) => i + 1),
    categoryToClass,
    excluded: [],
    ignoredClasses: [],
  };
}

/** The label-id lookup of a Cityscapes scheme, with excluded classes unlabelled. */
function withLut(spec: ClassSpec): ClassSpec {
  const tid = trainIdLut();
  const lut: number[] = [];
  for (let id = 0; id < 256; id++) {
    const t = tid[id];
    let c: number;
    if (t === IGNORE_LABEL) c = IGNORE_LABEL;
    else if (spec.scheme === 'cityscapes-trainids') c = t;
    else {
      const l = labelById(id)!;
      c = l.hasInstances ? spec.categoryToClass[String(id)] ?? IGNORE_LABEL : 0;
    }
    lut.push(spec.ignoredClasses.includes(c) ? IGNORE_LABEL : c);
  }
  return { ...spec, labelLut: lut };
}

export function classSpec(ds: Pick<Dataset, 'format' | 'categories' | 'root' | 'split'>, task: Task, exclude: readonly string[] = []): ClassSpec {
  const excluded = [...new Set(exclude)].sort();
  const known = ds.format === 'cityscapes' ? cityscapesLabels.filter((l) => l.trainId >= 0 && l.trainId < 19).map((l) => l.name) : ds.categories.map((c) => c.name);
  for (const e of excluded) if (!known.includes(e)) throw new Error(`${ds.root} (split ${ds.split}): cannot exclude '${e}': not a class of this dataset (${known.join(', ')})`);
  if (task === 'keypoints') {
    const kp = ds.categories.filter((c) => c.keypoints && c.keypoints.length === 17);
    if (kp.length !== 1) {
      throw new Error(
        `${ds.root} (split ${ds.split}): the keypoints task needs exactly one category with 17 keypoints, found ${kp.length}` +
          (ds.format === 'cityscapes' ? ' (Cityscapes has no keypoints: use a COCO-format manifest, e.g. synth-coco.yaml)' : ''),
      );
    }
    if (excluded.includes(kp[0].name)) throw new Error(`cannot exclude '${kp[0].name}': it is the keypoints task's category`);
    return { scheme: 'keypoints', names: [kp[0].name], outputIds: [kp[0].id], thingClasses: [0], categoryToClass: { [String(kp[0].id)]: 0 }, excluded, ignoredClasses: [] };
  }
  if (ds.format === 'cityscapes') {
    const spec = task === 'instances' ? cityscapesThingsSpec() : cityscapesSpec();
    for (const name of excluded) {
      const l = cityscapesLabels.find((x) => x.name === name)!;
      const c = spec.scheme === 'cityscapes-trainids' ? l.trainId : (spec.categoryToClass[String(l.id)] ?? 0);
      // a stuff class is background in the things scheme: excluding it changes nothing there
      if (c === 0 && spec.scheme === 'cityscapes-things') continue;
      spec.ignoredClasses.push(c);
      spec.thingClasses = spec.thingClasses.filter((x) => x !== c);
      for (const [k, v] of Object.entries(spec.categoryToClass)) if (v === c) delete spec.categoryToClass[k];
    }
    spec.ignoredClasses.sort((a, b) => a - b);
    spec.excluded = excluded;
    return withLut(spec);
  }
  const kept = ds.categories.filter((c) => !excluded.includes(c.name));
  if (kept.length === 0) throw new Error(`${ds.root} (split ${ds.split}): no category left to train`);
  const names = ['background', ...kept.map((c) => c.name)];
  const outputIds = [0, ...kept.map((c) => c.id)];
  const categoryToClass: Record<string, number> = {};
  kept.forEach((c, i) => (categoryToClass[String(c.id)] = i + 1));
  return { scheme: 'categories', names, outputIds, thingClasses: kept.map((_, i) => i + 1), categoryToClass, excluded, ignoredClasses: [] };
}

/** Class index of a dataset category id, or -1 when the category trains no class. */
export function classOfCategory(spec: ClassSpec, categoryId: number): number {
  const c = spec.categoryToClass[String(categoryId)];
  return c === undefined ? -1 : c;
}

/** Lookup table label id (0..255) -> Cityscapes train id (255 where none). */
export function trainIdLut(): Uint8Array {
  const lut = new Uint8Array(256).fill(IGNORE_LABEL);
  for (let id = 0; id < 256; id++) {
    const l = labelById(id);
    if (l && l.trainId >= 0 && l.trainId < 19) lut[id] = l.trainId;
  }
  return lut;
}
