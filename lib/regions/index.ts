// Which pixels to anonymize: face boxes (annotations, keypoints, or a detector matched to
// masks), dilated body masks, licence-plate boxes, and the per-instance record of what was done and why.
export type { Region, RegionKind, PersonRegionKind, InstanceRecord, RecordStatus, SampleRegions } from './region.ts';
export { REGION_SELECTIONS, isRegionSelection, checkRegionSelection, regionKinds, personKind, hasPlates, type RegionSelection } from './selection.ts';
export { plateRegions, plateCrop, PLATE_OUTSIDE, PLATE_SOURCE } from './plate.ts';
export { computeRegions, detectorNeeded, type RegionOptions } from './regions.ts';
export { bodyRegions, type BodyOptions, type Dilation } from './body.ts';
export { faceRegions, type FaceOptions, type FaceSource, NO_FACE, NO_FACE_NO_DETECTOR, FACE_OUTSIDE } from './face.ts';
export { selectCandidates, SKIP, DEFAULT_CATEGORIES, type CandidateOptions } from './candidates.ts';
export { dilate, dp2DilationRadius, DP2_CROP_RADIUS, DP2_DILATION_PERCENTAGE } from './dilate.ts';
export { dp2BodyCrop, DP2_BODY_SIZE, type Corners } from './dp2-crop.ts';
export { fdfFaceCrop } from './fdf-crop.ts';
export { faceBoxFromKeypoints } from './face-keypoints.ts';
export { matchDetectionsToMasks, boxMaskIou, MATCH_IOU_THRESHOLD } from './match.ts';
export { DEFAULT_SCORE_THRESHOLD, DEFAULT_NMS_IOU, type FaceDetector, type FaceDetection, type DetectOptions } from './face-detector.ts';
// loads tfjs: import lib/regions/detector.ts directly (and dynamically) where that matters
export { loadFaceDetector, fileModelHandler, freeBatchDimension, humanModelDir } from './detector.ts';
export { detectFaces, headWindow } from './face-crops.ts';
