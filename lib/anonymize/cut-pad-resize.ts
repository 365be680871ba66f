// DeepPrivacy2's `cut_pad_resize` (hukkelas/deep_privacy2, dp2/detection/utils.py): a crop box,
// which may reach outside the image (the part outside is zero-padded), cut out of an 8-bit image
// and resized to the generator's size. The box itself is DP2's expanded crop
// (lib/regions/dp2-crop.ts for bodies, lib/regions/fdf-crop.ts for faces).
import type { Image } from '../data/image.ts';
import type { PixelBox } from './region-mask.ts';
import { roundHalfEven } from '../data/round-half-even.ts';
import { resizeBicubicAA, resizeNearest, type FloatImage } from './resize.ts';

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
