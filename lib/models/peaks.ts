// Local maxima of a heatmap (the max-pooling NMS of CenterNet and Panoptic-DeepLab): a pixel is a
// peak when its value reaches the threshold and is the maximum of the (2r+1) x (2r+1) window
// around it; among equal values in a window the first in row-major order wins, so plateaus give
// one peak.

export interface Peak {
  x: number;
  y: number;
  score: number;
}

/**
 * Peaks of channel `ch` of an [h, w, nch] map, best first (ties: row-major order), at most `topK`.
 */
export function findPeaks(heat: ArrayLike<number>, w: number, h: number, radius: number, threshold: number, topK: number, ch = 0, nch = 1): Peak[] {
  if (heat.length !== w * h * nch) throw new RangeError(`heatmap has ${heat.length} values, expected ${h} x ${w} x ${nch}`);
  const r = Math.max(0, Math.floor(radius));
  const out: Peak[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = heat[(y * w + x) * nch + ch];
      if (!(v >= threshold)) continue;
      let isPeak = true;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r) && isPeak; yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          if (xx === x && yy === y) continue;
          const u = heat[(yy * w + xx) * nch + ch];
          const before = yy < y || (yy === y && xx < x);
          if (u > v || (before && u === v)) {
            isPeak = false;
            break;
          }
        }
      }
      if (isPeak) out.push({ x, y, score: v });
    }
  }
  out.sort((a, b) => b.score - a.score || a.y - b.y || a.x - b.x);
  return out.slice(0, topK);
}
