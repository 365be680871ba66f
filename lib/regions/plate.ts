// Licence-plate regions: every plate of the sample (Sample.plates: COCO 'license plate'
// annotations, Cityscapes 'license plate' polygons, the synthetic set's plates), its region the
// plate box as face boxes are made (face.ts faceCorners: clipped to the image, corners rounded half
// to even; the mask is that pixel rectangle, frBbox). A plate whose box has no pixel inside the
// image is skipped ('plate box outside the image'). Plates belong to no person, so the region
// options for persons (categories, minimum size, keypoints) do not apply to them. The crop box
// (for a generator) is the box grown on every side by half its longer side, at least 2 pixels.
import { frBbox, toBbox } from '../data/masks/index.ts';
import type { Sample } from '../data/types.ts';
import { cornersToBox, type Corners } from './dp2-crop.ts';
import { faceCorners } from './face.ts';
import type { InstanceRecord, Region, SampleRegions } from './region.ts';

export const PLATE_SOURCE = 'annotation';
export const PLATE_OUTSIDE = 'plate box outside the image';
export const PLATE_CROP_MARGIN = 0.5;

/** The crop around a plate's corners [x0, y0, x1, y1): grown by PLATE_CROP_MARGIN of its longer side (>= 2 pixels). */
export function plateCrop(c: Corners): Corners {
  const m = Math.max(2, Math.ceil(PLATE_CROP_MARGIN * Math.max(c[2] - c[0], c[3] - c[1])));
  return [c[0] - m, c[1] - m, c[2] + m, c[3] + m];
}

/** Plate regions and per-plate records for one sample, in plate order. */
export function plateRegions(sample: Sample): SampleRegions {
  const regions: Region[] = [];
  const records: InstanceRecord[] = [];
  for (const p of sample.plates ?? []) {
    const c = faceCorners(p.box, sample.width, sample.height);
    if (c === null) {
      records.push({ instanceId: p.id, kind: 'plate', status: 'skipped', reason: PLATE_OUTSIDE });
      continue;
    }
    const mask = frBbox(cornersToBox(c), sample.height, sample.width);
    regions.push({ sampleId: sample.id, instanceId: p.id, kind: 'plate', mask, box: toBbox(mask), cropBox: cornersToBox(plateCrop(c)), source: PLATE_SOURCE });
    records.push({ instanceId: p.id, kind: 'plate', status: 'anonymized', source: PLATE_SOURCE });
  }
  return { regions, records };
}
