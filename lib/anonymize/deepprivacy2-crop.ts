// DeepPrivacy2's crop geometry for full-body anonymization (hukkelas/deep_privacy2,
// dp2/detection/box_utils.py `get_expanded_bbox` and dp2/detection/utils.py `cut_pad_resize`,
// with the body settings of configs/anonymizers/FB_triagan.py: target size 288x160 (h x w),
// axis_minimum_expansion 0.1, percentage_background 0.3). Boxes are [x0, y0, x1, y1) in pixels
// and may reach outside the image; the part outside is zero-padded when cropping.
// Arithmetic is float64 (DP2 mixes float32 tensors in `expand_box`), which can move an edge by
// one pixel in rare ties.
import type { Image } from '../data/image.ts';
import type { PixelBox } from './region-mask.ts';
import { roundHalfEven } from './gaussian.ts';
import { resizeBicubicAA, resizeNearest, type FloatImage } from './resize.ts';

/** DP2's body-crop target size [height, width]. */
export const DP2_BODY_SIZE: readonly [number, number] = [288, 160];

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** box_utils.expand_axis: grow [start, end) to `target` length, then shift inside [0, limit) where possible. */
export function expandAxis(start: number, end: number, target: number, limit: number): [number, number] {
  const cur = end - start;
  start -= floorDiv(target - cur, 2);
  end += floorDiv(target - cur, 2);
  if (end - start !== target) end += 1;
  if (start < 0 && end > limit) return [start, end];
  if (start < 0 && end < limit) {
    const shift = Math.min(-start, limit - end);
    start += shift;
    end += shift;
  }
  if (end > limit && start > 0) {
    const shift = Math.min(end - limit, start);
    end -= shift;
    start -= shift;
  }
  return [start, end];
}

/**
 * get_expanded_bbox: grow each axis by int(sqrt(area) * 0.1), widen to the target aspect ratio
 * (h / w), then grow until at least `percentageBackground` of the box is outside the mask.
 */
export function dp2ExpandedBox(
  tight: PixelBox,
  maskPixels: number,
  imgW: number,
  imgH: number,
  target: readonly [number, number] = DP2_BODY_SIZE,
  axisMinimumExpansion = 0.1,
  percentageBackground = 0.3,
): PixelBox {
  let { x0, y0, x1, y1 } = tight;
  // expand_axises_by_percentage
  {
    const H = y1 - y0;
    const W = x1 - x0;
    const e = Math.trunc(Math.sqrt(H * W) * axisMinimumExpansion);
    [x0, x1] = expandAxis(x0, x1, Math.min(W + e, imgW), imgW);
    [y0, y1] = expandAxis(y0, y1, Math.min(H + e, imgH), imgH);
  }
  // expand_bbox_to_ratio
  {
    const ratio = target[0] / target[1];
    const h = y1 - y0;
    const w = x1 - x0;
    const cur = h / w;
    if (cur < ratio) [y0, y1] = expandAxis(y0, y1, Math.trunc(w * ratio), imgH);
    else if (cur > ratio) [x0, x1] = expandAxis(x0, x1, Math.trunc(h / ratio), imgW);
  }
  // expand_box
  {
    const H = y1 - y0;
    const W = x1 - x0;
    const pm = maskPixels / (H * W);
    if (!(1 - pm > percentageBackground)) {
      const targetPixels = maskPixels / (1 - percentageBackground);
      const p = Math.sqrt(targetPixels / (H * W));
      [x0, x1] = expandAxis(x0, x1, Math.ceil(p * W), imgW);
      [y0, y1] = expandAxis(y0, y1, Math.ceil(p * H), imgH);
    }
  }
  return { x0, y0, x1, y1 };
}

/**
 * cut_pad_resize for an 8-bit image: crop `box` (zero outside the image) and resize it to
 * `target` [h, w]: nearest when the (image-clipped) box is smaller than the target in both
 * axes, else antialiased bicubic; rounded half to even and clamped to 0..255 as DP2 does.
 */
export function cutPadResize(img: Image, box: PixelBox, target: readonly [number, number]): FloatImage {
  const { width: W, height: H, channels: C } = img;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const crop = new Float64Array(bw * bh * C);
  const cx0 = Math.max(0, box.x0);
  const cy0 = Math.max(0, box.y0);
  const cx1 = Math.min(W, box.x1);
  const cy1 = Math.min(H, box.y1);
  for (let y = cy0; y < cy1; y++) {
    for (let x = cx0; x < cx1; x++) {
      for (let c = 0; c < C; c++) crop[((y - box.y0) * bw + (x - box.x0)) * C + c] = img.data[(y * W + x) * C + c]!;
    }
  }
  const src: FloatImage = { width: bw, height: bh, channels: C, data: crop };
  if (bw === target[1] && bh === target[0]) return src;
  // DP2 compares the clipped extent when the box is not strictly inside (x0 > 0 and y0 > 0).
  const inside = box.y0 > 0 && box.x0 > 0 && box.x1 <= W && box.y1 <= H;
  const ch = inside ? bh : cy1 - cy0;
  const cw = inside ? bw : cx1 - cx0;
  const nearest = ch < target[0] && cw < target[1];
  const r = nearest ? resizeNearest(src, target[1], target[0]) : resizeBicubicAA(src, target[1], target[0]);
  if (!nearest) for (let i = 0; i < r.data.length; i++) r.data[i] = Math.min(255, Math.max(0, roundHalfEven(r.data[i]!)));
  return r;
}
