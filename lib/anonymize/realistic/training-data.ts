// Training crops for the built-in generator: every face or body region of a dataset split
// (lib/regions computeRegions, the same regions the anonymizer gets), cut with the same crop
// box and resizing as at inference (crop.ts) but keeping the person: the target is the
// original crop, the mask is the region's own mask at the generator's size, the keypoints are
// in crop coordinates. The generator is trained to fill the masked part back in. Faces of a
// dataset without face boxes or head keypoints (Cityscapes) come from the face detector, as
// they do when anonymizing.
import { join } from 'node:path';
import { decodeImage } from '../../data/image.ts';
import { loadManifest } from '../../data/manifest.ts';
import { decode } from '../../data/masks/index.ts';
import { readSplit } from '../../data/open.ts';
import type { PersonRegionKind } from '../../regions/region.ts';
import type { FaceDetector } from '../../regions/face-detector.ts';
import { computeRegions, detectorNeeded } from '../../regions/regions.ts';
import { keypointsToCrop, maskToSizeAny, originalCrop, regionCropBox, cutMask } from './crop.ts';

export interface TrainingCrop {
  /** Original RGB crop at the generator's size (person included). */
  target: Uint8Array;
  /** 1 = region. */
  mask: Uint8Array;
  keypoints?: Float32Array;
}

export interface TrainingSet {
  width: number;
  height: number;
  crops: TrainingCrop[];
  images: number;
  /** Regions left out because their crop box was smaller than minCropSide. */
  small: number;
}

export interface CollectOptions {
  manifest: string;
  split: string;
  kind: PersonRegionKind;
  width: number;
  height: number;
  keypoints: boolean;
  /** Regions whose crop box is narrower or lower than this (image pixels) are left out (default 8). */
  minCropSide?: number;
  /** Stop after this many crops (default: all). */
  maxCrops?: number;
  onImage?: (done: number, total: number) => void;
}

export async function collectTrainingCrops(o: CollectOptions): Promise<TrainingSet> {
  const m = await loadManifest(o.manifest);
  const ds = await readSplit(m, o.split);
  const minSide = o.minCropSide ?? 8;
  const crops: TrainingCrop[] = [];
  let small = 0;
  let images = 0;
  let detector: FaceDetector | undefined;
  try {
    for (const [i, s] of ds.samples.entries()) {
      if (o.maxCrops !== undefined && crops.length >= o.maxCrops) break;
      const ropts = { kind: o.kind, categories: m.anonymize };
      let img = detectorNeeded(s, ropts) ? await decodeImage(join(ds.root, s.file), 3) : undefined;
      if (img) detector ??= await (await import('../../regions/detector.ts')).loadFaceDetector();
      const { regions } = await computeRegions(s, img, img ? { ...ropts, detector } : ropts);
      images++;
      if (regions.length === 0) {
        o.onImage?.(i + 1, ds.samples.length);
        continue;
      }
      img ??= await decodeImage(join(ds.root, s.file), 3);
      for (const r of regions) {
        const mask = decode(r.mask);
        const box = regionCropBox(r, mask, img.width, img.height);
        const bw = box.x1 - box.x0;
        const bh = box.y1 - box.y0;
        if (bw < minSide || bh < minSide) {
          small++;
          continue;
        }
        const crop: TrainingCrop = {
          target: originalCrop(img, box, o.width, o.height).data,
          mask: maskToSizeAny(cutMask(mask, img.width, img.height, box), bw, bh, o.width, o.height),
        };
        if (o.keypoints && r.keypoints) crop.keypoints = keypointsToCrop(r.keypoints, box, o.width, o.height);
        crops.push(crop);
        if (o.maxCrops !== undefined && crops.length >= o.maxCrops) break;
      }
      o.onImage?.(i + 1, ds.samples.length);
    }
  } finally {
    detector?.dispose();
  }
  if (crops.length === 0) throw new Error(`${o.manifest}: split '${o.split}' has no ${o.kind} regions with a crop of at least ${minSide}x${minSide} pixels to train on`);
  return { width: o.width, height: o.height, crops, images, small };
}
