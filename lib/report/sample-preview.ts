// PNG previews of one sample of a dataset: its annotations (instance masks, COCO skeletons, face
// boxes; lib/data/synth/preview.ts draws them) and the regions an anonymizer would get for it
// (lib/regions computeRegions: dilated body masks, face boxes), for notebooks and docs.
import { decodeImage, encodeImage } from '../data/image.ts';
import { drawPreview, type PreviewInstance, type PreviewOptions } from '../data/synth/preview.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { pickSample } from '../anonymize/anonymize-sample.ts';
import { computeRegions, type RegionOptions } from '../regions/regions.ts';
import type { Region } from '../regions/region.ts';
import { join } from 'node:path';

export interface SamplePreviewOptions extends PreviewOptions {
  /** Only instances of these categories (default: all). */
  categories?: readonly string[];
}

/** The sample's image with its annotations drawn over it, as PNG bytes. */
export async function annotationPreview(ds: Dataset, which: Sample | string | number, options: SamplePreviewOptions = {}): Promise<Buffer> {
  const sample = pickSample(ds, which);
  const image = await decodeImage(join(ds.root, sample.file), 3);
  const instances = options.categories ? sample.instances.filter((i) => options.categories!.includes(i.category)) : sample.instances;
  return encodeImage(drawPreview(image, instances, options), 'png');
}

/** Regions as preview instances: body regions tinted as persons, face regions outlined by their box. */
export function regionInstances(regions: readonly Region[]): PreviewInstance[] {
  return regions.map((r) => ({ mask: r.mask, category: r.kind === 'face' ? 'face' : 'person', iscrowd: false, keypoints: r.keypoints, faceBox: r.kind === 'face' ? r.box : undefined }));
}

export interface RegionPreview {
  png: Buffer;
  regions: Region[];
  /** One record per candidate instance: anonymized, or skipped and why. */
  records: Awaited<ReturnType<typeof computeRegions>>['records'];
}

/** The sample's image with the regions computeRegions finds for `options` drawn over it. */
export async function regionPreview(ds: Dataset, which: Sample | string | number, options: RegionOptions, preview: PreviewOptions = {}): Promise<RegionPreview> {
  const sample = pickSample(ds, which);
  const image = await decodeImage(join(ds.root, sample.file), 3);
  const found = await computeRegions(sample, image, options);
  return { png: await encodeImage(drawPreview(image, regionInstances(found.regions), preview), 'png'), regions: found.regions, records: found.records };
}
