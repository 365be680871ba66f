// DeepPrivacy2's body crop: the box a person is cut out with before it is resized to the
// generator's 288x160 (h x w) input. Follows hukkelas/deep_privacy2, dp2/detection/box_utils.py
// (`get_expanded_bbox`, `expand_axises_by_percentage`, `expand_bbox_to_ratio`, `expand_box`,
// `expand_axis`, `include_box`) with the settings of the paper's dataset scripts
// (tools/anonymization/<dataset>/visualize_body.py `cse_post_process_cfg`): target_imsize (288, 160),
// axis_minimum_expansion 0.1, percentage_background 0.3, dilation_percentage 0.02, and
// exp_bbox_filter minimum_area 8*8 (or min_size^2 with the scripts' --min_size 16|32).
//
// Boxes here are half-open corner boxes [x0, y0, x1, y1) in integer pixels and may reach
// outside the image. The tight box is DP2's `masks_to_boxes`: first and one-past-last
// column and row holding a mask pixel (= pycocotools toBbox as x0, y0, x0 + w, y0 + h).
// `expand_box` divides torch tensors (the mask's pixel count is an int64 tensor), so its
// arithmetic is float32; it is reproduced with Math.fround. The other steps are Python floats.

/** [x0, y0, x1, y1), integer pixels, possibly outside the image. */
export type Corners = [number, number, number, number];

/** DP2's body generator input, [height, width]. */
export const DP2_BODY_SIZE: readonly [number, number] = [288, 160];
export const DP2_AXIS_MINIMUM_EXPANSION = 0.1;
export const DP2_PERCENTAGE_BACKGROUND = 0.3;

/** box_utils.expand_axis: grow [start, end) to `target`, then shift it inside [0, limit) where it fits. */
export function expandAxis(start: number, end: number, target: number, limit: number): [number, number] {
  const cur = end - start;
  const half = Math.floor((target - cur) / 2); // Python //
  start -= half;
  end += half;
  if (end - start !== target) end += 1;
  if (start < 0 && end > limit) return [start, end];
  if (start < 0 && end < limit) {
    const s = Math.min(-start, limit - end);
    start += s;
    end += s;
  }
  if (end > limit && start > 0) {
    const s = Math.min(end - limit, start);
    end -= s;
    start -= s;
  }
  return [start, end];
}

/** box_utils.expand_axises_by_percentage: each side grows by int(sqrt(H * W) * p) in total, capped at the image. */
function expandByPercentage(b: Corners, imgW: number, imgH: number, p: number): Corners {
  const [x0, y0, x1, y1] = b;
  const H = y1 - y0;
  const W = x1 - x0;
  const e = Math.trunc(Math.sqrt(H * W) * p);
  const [nx0, nx1] = expandAxis(x0, x1, Math.min(W + e, imgW), imgW);
  const [ny0, ny1] = expandAxis(y0, y1, Math.min(H + e, imgH), imgH);
  return [nx0, ny0, nx1, ny1];
}

/** box_utils.expand_bbox_to_ratio: the smallest box of aspect h / w = `ratio` around `b` (may leave the image). */
function expandToRatio(b: Corners, imgW: number, imgH: number, ratio: number): Corners {
  let [x0, y0, x1, y1] = b;
  const h = y1 - y0;
  const w = x1 - x0;
  const cur = h / w;
  if (cur === ratio) return [x0, y0, x1, y1];
  if (cur < ratio) [y0, y1] = expandAxis(y0, y1, Math.trunc(w * ratio), imgH);
  else [x0, x1] = expandAxis(x0, x1, Math.trunc(h / ratio), imgW);
  return [x0, y0, x1, y1];
}

/** box_utils.expand_box: grow (keeping the aspect) until at least `bg` of the box lies outside the mask. */
function expandForBackground(b: Corners, imgW: number, imgH: number, maskPixels: number, bg: number): Corners {
  const f = Math.fround;
  const [x0, y0, x1, y1] = b;
  const total = (x1 - x0) * (y1 - y0);
  const share = f(f(maskPixels) / f(total)); // int64 tensor / int -> float32
  if (f(1 - share) > f(bg)) return [x0, y0, x1, y1];
  const targetPixels = f(f(maskPixels) / f(1 - bg)); // tensor / Python float (0.7) -> float32
  const H = y1 - y0;
  const W = x1 - x0;
  const p = f(Math.sqrt(f(targetPixels / f(H * W))));
  const tw = Math.ceil(f(p * W));
  const th = Math.ceil(f(p * H));
  const [nx0, nx1] = expandAxis(x0, x1, tw, imgW);
  const [ny0, ny1] = expandAxis(y0, y1, th, imgH);
  return [nx0, ny0, nx1, ny1];
}

/**
 * DP2's expanded body crop (`get_expanded_bbox`) for an instance whose mask has the tight
 * corner box `tight` and `maskPixels` pixels, in an image of imgW x imgH. `target` [h, w] sets
 * the aspect ratio (DP2's target_imsize; default the body generator's 288x160).
 */
export function dp2BodyCrop(tight: Corners, maskPixels: number, imgW: number, imgH: number, target: readonly [number, number] = DP2_BODY_SIZE): Corners {
  if (!(tight[2] > tight[0] && tight[3] > tight[1])) throw new RangeError(`dp2BodyCrop: empty box [${tight.join(', ')}]`);
  let b = expandByPercentage(tight, imgW, imgH, DP2_AXIS_MINIMUM_EXPANSION);
  b = expandToRatio(b, imgW, imgH, target[0] / target[1]);
  return expandForBackground(b, imgW, imgH, maskPixels, DP2_PERCENTAGE_BACKGROUND);
}

/** The crop's area in pixels, (x1 - x0) * (y1 - y0): what DP2's `include_box` compares with minimum_area. */
export function cropArea(c: Corners): number {
  return (c[2] - c[0]) * (c[3] - c[1]);
}

/** [x0, y0, x1, y1) -> COCO [x, y, w, h]. */
export function cornersToBox(c: Corners): [number, number, number, number] {
  return [c[0], c[1], c[2] - c[0], c[3] - c[1]];
}
