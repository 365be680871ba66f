// What the anonymizers get: one region per anonymized instance or licence plate, and one record
// per candidate instance (and per plate) saying whether it was anonymized and, if not, why (the
// provenance a dataset runner writes next to the anonymized data).
import type { Box, Rle } from '../data/types.ts';

/** Regions of a person: the face box or the (dilated) body mask. */
export type PersonRegionKind = 'face' | 'body';
/** A person's face or body, or a licence plate (the plate's box: plate.ts). */
export type RegionKind = PersonRegionKind | 'plate';

export interface Region {
  /** Sample.id of the image the region belongs to. */
  sampleId: string;
  /** Instance.id of the person (or rider...) the region belongs to; for a plate, Plate.id. */
  instanceId: number;
  kind: RegionKind;
  /** The pixels to anonymize, full image size (h x w of the sample). */
  mask: Rle;
  /** Tight box of `mask` (pycocotools toBbox), [x, y, w, h]. */
  box: Box;
  /**
   * The crop a crop-based (realistic) anonymizer works on, [x, y, w, h], integer, possibly
   * reaching outside the image: DeepPrivacy2's expanded body box for bodies, its FDF
   * face-crop expansion for faces, the plate box with a margin for plates (plate.ts).
   */
  cropBox?: Box;
  /** The instance's 17 COCO keypoints [x1, y1, v1, ...] when it has them. */
  keypoints?: number[];
  /** Where the region came from: 'mask' (body), 'annotation', 'keypoints' or 'detector' (face), 'annotation' (plate). */
  source: string;
  /** Body regions: the disk radius (pixels) the instance mask was dilated by. */
  dilation?: number;
}

export type RecordStatus = 'anonymized' | 'skipped';

/** Provenance of one candidate instance (an instance of an anonymized category) or licence plate. */
export interface InstanceRecord {
  /** Instance.id; for kind 'plate', Plate.id. */
  instanceId: number;
  kind: RegionKind;
  status: RecordStatus;
  /** Why a skipped instance was skipped. */
  reason?: string;
  /** Where an anonymized instance's region came from (same as Region.source). */
  source?: string;
}

/** The result of computing one sample's regions. */
export interface SampleRegions {
  regions: Region[];
  records: InstanceRecord[];
}
