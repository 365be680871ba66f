// What a face detector is to the region code: its detections, its options and its defaults.
// No tfjs here: computeRegions (regions.ts) and face-crops.ts import this file, so they can be
// loaded without the detector's model runtime; detector.ts (BlazeFace on tfjs) implements the
// interface and is imported only where a detector is loaded.
import type { Image } from '../data/image.ts';
import type { Box } from '../data/types.ts';
import type { SquareWindow } from './square-input.ts';

export interface FaceDetection {
  /** [x, y, w, h] in image pixels, clipped to the image. */
  box: Box;
  score: number;
  /** [x, y] in image pixels: right eye, left eye, nose tip, mouth, right ear, left ear. */
  landmarks?: [number, number][];
}

export interface DetectOptions {
  /** Minimum score (sigmoid of the logit), default DEFAULT_SCORE_THRESHOLD. */
  scoreThreshold?: number;
  /** NMS IoU threshold, default DEFAULT_NMS_IOU. */
  iouThreshold?: number;
  /** The square window to look at (default: the whole image, padded to a square around its centre). */
  window?: SquareWindow;
}

export interface FaceDetector {
  /** 'blazeface' */
  readonly name: string;
  /** The tfjs backend the model runs on. */
  readonly backend: string;
  /** The detections, at once or (a model whose outputs are read asynchronously, as webgpu's in
   * Node must be) as a promise; callers await either. */
  detect(img: Image, opts?: DetectOptions): FaceDetection[] | Promise<FaceDetection[]>;
  /**
   * Optional: the detections of several windows of one image (`undefined`: the whole image),
   * one list per window, each equal to what `detect` gives for that window, computed in as few
   * model calls as the detector can. Callers fall back to one `detect` per window without it.
   */
  detectWindows?(img: Image, windows: readonly (SquareWindow | undefined)[], opts?: Omit<DetectOptions, 'window'>): FaceDetection[][] | Promise<FaceDetection[][]>;
  dispose(): void;
}

/** Default minimum detection score. */
export const DEFAULT_SCORE_THRESHOLD = 0.5;
/** Default IoU above which the lower-scored of two detections is suppressed. */
export const DEFAULT_NMS_IOU = 0.3;
