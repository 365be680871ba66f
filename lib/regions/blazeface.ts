// Decoding of the raw outputs of MediaPipe's BlazeFace "back camera" model (256x256 input, 896
// anchors), the face detector shipped as models/blazeface.json in @vladmandic/human.
//
// Anchors follow MediaPipe's SSD anchor calculator for this model (face_detection_back:
// input 256, strides 16, 32, 32, 32, anchor_offset 0.5, fixed anchor size, layers of equal
// stride merged): a 16x16 grid with 2 anchors per cell, then an 8x8 grid with 6 per cell;
// row-major over cells, anchors of a cell consecutive; centres at (col + 0.5, row + 0.5) *
// stride in input pixels. Each anchor has a logit and 16 regressors: box centre offset (x, y)
// from the anchor, box width and height, then 6 landmarks (right eye, left eye, nose tip,
// mouth, right ear tragion, left ear tragion) as (x, y) offsets from the anchor, all in
// input pixels. The score is sigmoid(logit), with the logit clipped to [-100, 100] as
// MediaPipe's tensors-to-detections calculator does (score_clipping_thresh 100).

export const BLAZEFACE_INPUT = 256;
export const BLAZEFACE_ANCHORS = 896;
export const BLAZEFACE_REGRESSORS = 16;

/** The two output layers: [stride, anchors per cell]; their anchors come in this order. */
const LAYERS: readonly [number, number][] = [
  [16, 2],
  [32, 6],
];

/** Anchor centres (x, y) in input pixels, 896 pairs. */
export function blazefaceAnchors(size = BLAZEFACE_INPUT): Float64Array {
  const out: number[] = [];
  for (const [stride, per] of LAYERS) {
    const cells = Math.ceil(size / stride);
    for (let row = 0; row < cells; row++) {
      for (let col = 0; col < cells; col++) {
        for (let n = 0; n < per; n++) out.push((col + 0.5) * stride, (row + 0.5) * stride);
      }
    }
  }
  return Float64Array.from(out);
}

/** A decoded candidate in input pixels: corners [x0, y0, x1, y1], score, 6 landmarks. */
export interface RawFace {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  score: number;
  /** [x, y] of right eye, left eye, nose tip, mouth, right ear, left ear. */
  landmarks: [number, number][];
}

export function sigmoid(logit: number): number {
  const z = Math.max(-100, Math.min(100, logit));
  return 1 / (1 + Math.exp(-z));
}

/**
 * Candidates with score >= `minScore` from the model's logits (896) and regressors (896 x 16),
 * both in anchor order (the 512 stride-16 anchors first).
 */
export function decodeBlazeface(logits: ArrayLike<number>, regressors: ArrayLike<number>, minScore: number, anchors = blazefaceAnchors()): RawFace[] {
  const n = anchors.length / 2;
  if (logits.length !== n) throw new RangeError(`decodeBlazeface: ${logits.length} logits, expected ${n}`);
  if (regressors.length !== n * BLAZEFACE_REGRESSORS) throw new RangeError(`decodeBlazeface: ${regressors.length} regressors, expected ${n * BLAZEFACE_REGRESSORS}`);
  const out: RawFace[] = [];
  for (let i = 0; i < n; i++) {
    const score = sigmoid(logits[i]);
    if (!(score >= minScore)) continue;
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const r = i * BLAZEFACE_REGRESSORS;
    const cx = ax + regressors[r];
    const cy = ay + regressors[r + 1];
    const w = regressors[r + 2];
    const h = regressors[r + 3];
    if (!(w > 0 && h > 0)) continue;
    const landmarks: [number, number][] = [];
    for (let k = 0; k < 6; k++) landmarks.push([ax + regressors[r + 4 + 2 * k], ay + regressors[r + 5 + 2 * k]]);
    out.push({ x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2, score, landmarks });
  }
  return out;
}
