// Greedy non-maximum suppression over corner boxes: take the highest-scoring box, drop every
// remaining box whose IoU with it exceeds the threshold, repeat (ties in score keep input
// order). IoU of continuous boxes: intersection area / union area, 0 when the union is empty.

export interface ScoredBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  score: number;
}

export function boxIou(a: ScoredBox, b: ScoredBox): number {
  const iw = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const ih = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
  return union > 0 ? inter / union : 0;
}

/** The kept boxes, highest score first. */
export function nms<T extends ScoredBox>(boxes: readonly T[], iouThreshold: number): T[] {
  const order = boxes.map((_, i) => i).sort((i, j) => boxes[j].score - boxes[i].score || i - j);
  const kept: T[] = [];
  for (const i of order) {
    const b = boxes[i];
    if (kept.every((k) => boxIou(k, b) <= iouThreshold)) kept.push(b);
  }
  return kept;
}
