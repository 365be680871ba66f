// Keypoint conditioning for body generators: one Gaussian heatmap per COCO keypoint (17 channels),
// exp(-d^2 / (2 sigma^2)) around the keypoint, all zero for an absent one (v = 0). Keypoints are in
// crop pixel coordinates, pixel (i, j) centred at (i + 0.5, j + 0.5). DP2's full-body generator
// is conditioned on COCO keypoints too (Hukkelås & Lindseth 2023, Sec. 3.3); the heatmap form is ours.

export const NUM_KEYPOINTS = 17;

/** Default sigma for a W x H crop: 2.5% of sqrt(W * H) pixels, at least 1 (72x40: 1.34; 288x160: 5.4). */
export function defaultHeatmapSigma(width: number, height: number): number {
  return Math.max(1, 0.025 * Math.sqrt(width * height));
}

/** H * W * 17 values (channels last), added into `out` at `offset` with `stride` channels per pixel when given. */
export function keypointHeatmaps(kp: Float32Array | undefined, width: number, height: number, sigma: number, out?: Float32Array, offset = 0, stride = NUM_KEYPOINTS): Float32Array {
  const o = out ?? new Float32Array(width * height * NUM_KEYPOINTS);
  if (!kp) return o;
  const inv = 1 / (2 * sigma * sigma);
  const reach = Math.ceil(3 * sigma);
  for (let k = 0; k < NUM_KEYPOINTS; k++) {
    if (!(kp[3 * k + 2]! > 0)) continue;
    const kx = kp[3 * k]!;
    const ky = kp[3 * k + 1]!;
    const x0 = Math.max(0, Math.floor(kx - reach));
    const x1 = Math.min(width - 1, Math.ceil(kx + reach));
    const y0 = Math.max(0, Math.floor(ky - reach));
    const y1 = Math.min(height - 1, Math.ceil(ky + reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - kx;
        const dy = y + 0.5 - ky;
        o[offset + (y * width + x) * stride + k] = Math.exp(-(dx * dx + dy * dy) * inv);
      }
    }
  }
  return o;
}

/** COCO keypoint index pairs swapped by a horizontal flip (left_* <-> right_*). */
export const FLIP_PAIRS: readonly [number, number][] = [
  [1, 2],
  [3, 4],
  [5, 6],
  [7, 8],
  [9, 10],
  [11, 12],
  [13, 14],
  [15, 16],
];

/** Keypoints of the horizontally flipped crop of width W. */
export function flipKeypoints(kp: Float32Array, width: number): Float32Array {
  const out = new Float32Array(51);
  const perm = Array.from({ length: 17 }, (_, i) => i);
  for (const [a, b] of FLIP_PAIRS) {
    perm[a] = b;
    perm[b] = a;
  }
  for (let k = 0; k < 17; k++) {
    const s = perm[k]!;
    if (kp[3 * s + 2]! > 0) {
      out[3 * k] = width - kp[3 * s]!;
      out[3 * k + 1] = kp[3 * s + 1]!;
      out[3 * k + 2] = kp[3 * s + 2]!;
    }
  }
  return out;
}
