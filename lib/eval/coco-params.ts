// COCOeval's evaluation parameters (pycocotools cocoeval.py, class Params), with the same
// numbers: IoU thresholds and recall thresholds come from np.linspace, whose k-th value is
// k * ((stop - start) / (num - 1)) + start with the last set to stop exactly; so the 9th IoU
// threshold is 0.8999999999999999, not 0.9, and matching depends on that.

export type IouType = 'bbox' | 'segm' | 'keypoints';

export const IOU_TYPES: readonly IouType[] = ['bbox', 'segm', 'keypoints'];

export interface CocoEvalParams {
  iouType: IouType;
  /** T thresholds on IoU (or OKS) for a match. */
  iouThrs: Float64Array;
  /** R recall points of the interpolated precision. */
  recThrs: Float64Array;
  /** M limits on detections per image, ascending (the last one cuts detections before matching). */
  maxDets: number[];
  /** A area ranges [lo, hi] (inclusive) on the ground truth's `area`. */
  areaRng: [number, number][];
  areaRngLbl: string[];
  /** Per-keypoint OKS sigmas (keypoints only). */
  kptOksSigmas: Float64Array | null;
}

/** np.linspace(start, stop, num) with endpoint=True, value for value. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let k = 0; k < num; k++) out[k] = k * step + start;
  out[num - 1] = stop;
  return out;
}

/** COCO's keypoint sigmas: the published per-keypoint constants divided by 10 (np.array([...]) / 10.0). */
export const COCO_KPT_OKS_SIGMAS: Float64Array = Float64Array.from(
  [0.26, 0.25, 0.25, 0.35, 0.35, 0.79, 0.79, 0.72, 0.72, 0.62, 0.62, 1.07, 1.07, 0.87, 0.87, 0.89, 0.89],
  (v) => v / 10.0,
);

/** pycocotools' defaults: setDetParams for bbox and segm, setKpParams for keypoints. */
export function defaultParams(iouType: IouType): CocoEvalParams {
  // np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1) and np.linspace(.0, 1.00, int(np.round(1.00 / .01)) + 1)
  const iouThrs = linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1);
  const recThrs = linspace(0.0, 1.0, Math.round((1.0 - 0.0) / 0.01) + 1);
  if (iouType === 'keypoints') {
    return {
      iouType,
      iouThrs,
      recThrs,
      maxDets: [20],
      areaRng: [
        [0 ** 2, 1e5 ** 2],
        [32 ** 2, 96 ** 2],
        [96 ** 2, 1e5 ** 2],
      ],
      areaRngLbl: ['all', 'medium', 'large'],
      kptOksSigmas: COCO_KPT_OKS_SIGMAS,
    };
  }
  return {
    iouType,
    iouThrs,
    recThrs,
    maxDets: [1, 10, 100],
    areaRng: [
      [0 ** 2, 1e5 ** 2],
      [0 ** 2, 32 ** 2],
      [32 ** 2, 96 ** 2],
      [96 ** 2, 1e5 ** 2],
    ],
    areaRngLbl: ['all', 'small', 'medium', 'large'],
    kptOksSigmas: null,
  };
}
