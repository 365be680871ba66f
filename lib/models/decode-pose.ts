// The 17 keypoints of one person from the pose network's heatmaps (lib/models/pose.ts): each
// keypoint is its heatmap's maximum (the first in row-major order among equal values), moved a
// quarter of a pixel towards the higher of its two neighbours along each axis, the sub-pixel
// step of the top-down pose networks' decoders (Newell et al. 2016; Xiao et al. 2018,
// get_final_preds in their reference code). Its score is the maximum.
// Coordinates are in the heatmap's pixel-index units (pixel (x, y)'s centre is at (x, y)).

/** `heat`: probabilities [h*w*17]. Returns 17 x (x, y, score). */
export function decodePose(heat: ArrayLike<number>, w: number, h: number, quarterOffset = true): Float32Array {
  if (heat.length !== w * h * 17) throw new RangeError(`pose heatmap has ${heat.length} values, expected ${h} x ${w} x 17`);
  const out = new Float32Array(51);
  const at = (x: number, y: number, j: number) => heat[(y * w + x) * 17 + j];
  for (let j = 0; j < 17; j++) {
    let best = -Infinity;
    let bx = 0;
    let by = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = at(x, y, j);
        if (v > best) {
          best = v;
          bx = x;
          by = y;
        }
      }
    }
    let x = bx;
    let y = by;
    if (quarterOffset) {
      if (bx > 0 && bx < w - 1) x += 0.25 * Math.sign(at(bx + 1, by, j) - at(bx - 1, by, j));
      if (by > 0 && by < h - 1) y += 0.25 * Math.sign(at(bx, by + 1, j) - at(bx, by - 1, j));
    }
    out[3 * j] = x;
    out[3 * j + 1] = y;
    out[3 * j + 2] = best;
  }
  return out;
}
