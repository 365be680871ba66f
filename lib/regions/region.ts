// What the anonymizers get: one region per anonymized instance, and one record per candidate
// instance saying whether it was anonymized and, if not, why (the provenance a dataset runner
// writes next to the anonymized data).
import type { Box, Rle } from '../data/types.ts';

export type RegionKind = 'face' | 'body';

export interface Region {
  /** Sample.id of the image the region belongs to. */
  sampleId: string;
  /** Instance.id of the person (or rider...) the region belongs to. */
  instanceId: number;
  kind: RegionKind;
  /** The pixels to anonymize, full image size (h x w of the sample). */
  mask: Rle;
  /** Tight box of `mask` (pycocotools toBbox), [x, y, w, h]. */
  box: Box;
  /**
   * The crop a crop-based (realistic) anonymizer works on, [x, y, w, h], integer, possibly
   * reaching outside the image: DeepPrivacy2's expanded body box for bodies, its FDF
   * face-crop expansion for faces.
   */
  cropBox?: Box;
  /** The instance's 17 COCO keypoints [x1, y1, v1, ...] when it has them. */
  keypoints?: number[];
  /** Where the region came from: 'mask' (body), 'annotation', 'keypoints' or 'detector' (face). */
  source: string;
  /** Body regions: the disk radius (pixels) the instance mask was dilated by. */
  dilation?: number;
}

export type RecordStatus = 'anonymized' | 'skipped';

/** Provenance of one candidate instance (an instance of an anonymized category). */
export interface InstanceRecord {
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
