// Instance counts per category and split, with crowd and ignored regions counted apart.
import type { Dataset } from './types.ts';

export interface ClassCount {
  split: string;
  category: string;
  instances: number;
  crowd: number;
  ignored: number;
  withKeypoints: number;
  withFaceBox: number;
}

export function classCounts(ds: Dataset): ClassCount[] {
  const by = new Map<string, ClassCount>();
  for (const c of ds.categories) by.set(c.name, { split: ds.split, category: c.name, instances: 0, crowd: 0, ignored: 0, withKeypoints: 0, withFaceBox: 0 });
  for (const s of ds.samples) {
    for (const inst of s.instances) {
      let c = by.get(inst.category);
      if (!c) by.set(inst.category, (c = { split: ds.split, category: inst.category, instances: 0, crowd: 0, ignored: 0, withKeypoints: 0, withFaceBox: 0 }));
      if (inst.iscrowd) c.crowd++;
      else if (inst.ignore) c.ignored++;
      else c.instances++;
      if ((inst.numKeypoints ?? 0) > 0) c.withKeypoints++;
      if (inst.faceBox) c.withFaceBox++;
    }
  }
  return [...by.values()];
}
