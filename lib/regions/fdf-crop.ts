// DeepPrivacy2's face crop: the square a face box is cut out with before it goes to the FDF
// face generator (128x128). Follows hukkelas/deep_privacy2, dp2/detection/box_utils_fdf.py
// `expand_bbox(box, imshape, simple_expand=False, expansion_factor=0.35)` as called by
// FaceDetection.get_crop for the paper's face model (configs/anonymizers/face_fdf128.py,
// fdf128_expand=True): `expand_bounding_box` (make square, grow by 35% of the side, keep inside
// the image), and, when one of that function's assertions fails (a face box larger than the
// image's short side, a square that cannot be placed inside the image), `expand_bbox_simple`
// with factor 0.7, which may reach outside the image.
// Boxes are [x0, y0, x1, y1) in pixels; DP2 rounds face boxes to integers before this.
import type { Corners } from './dp2-crop.ts';

export const FDF_EXPANSION_FACTOR = 0.35;

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** quadratic_bounding_box; null where one of its assertions fails. */
function quadratic(x0: number, y0: number, width: number, height: number, H: number, W: number): [number, number, number, number] | null {
  if (width > Math.min(H, W) || height > Math.min(H, W)) return null;
  const minSide = Math.min(height, width);
  if (height !== width) {
    let sideDiff = Math.abs(height - width);
    if (minSide === height) {
      height += sideDiff;
      if (height > H) {
        y0 = 0;
        height = H;
        sideDiff = Math.abs(height - width);
        width -= sideDiff;
        x0 += floorDiv(sideDiff, 2);
      } else {
        y0 = Math.max(0, y0 - floorDiv(sideDiff, 2));
      }
    } else {
      width += sideDiff;
      if (width > W) {
        x0 = 0;
        width = W;
        sideDiff = Math.abs(height - width);
        height -= sideDiff;
        y0 += floorDiv(sideDiff, 2);
      } else {
        x0 = Math.max(0, x0 - floorDiv(sideDiff, 2));
      }
    }
    const x1 = x0 + width;
    const y1 = y0 + height;
    if (W < x1) x0 -= x1 - W;
    if (H < y1) y0 -= y1 - H;
  }
  if (x0 < 0 || y0 < 0 || x0 + width > W || y0 + height > H) return null;
  return [x0, y0, width, height];
}

/** expand_bounding_box; null where one of its assertions fails. */
function expandBoundingBox(b: Corners, percentage: number, H: number, W: number): Corners | null {
  const q = quadratic(b[0], b[1], b[2] - b[0], b[3] - b[1], H, W);
  if (q === null) return null;
  let [x0, y0, width, height] = q;
  let e = Math.trunc(Math.max(height, width) * percentage);
  e = Math.min(floorDiv(H - width, 2), floorDiv(W - height, 2), e);
  if (e > 0) {
    y0 = Math.max(0, y0 - e);
    height += e * 2;
    if (height > H) {
      y0 -= H - height;
      height = H;
    }
    if (height + y0 > H) y0 -= height + y0 - H;
    x0 = Math.max(0, x0 - e);
    width += e * 2;
    if (width > W) {
      x0 -= W - width;
      width = W;
    }
    if (width + x0 > W) x0 -= width + x0 - W;
  }
  const y1 = y0 + height;
  const x1 = x0 + width;
  const ok =
    y0 >= 0 && height <= H && x0 + width <= W && y0 + height <= H && width === height && x0 >= 0 && width <= W &&
    x0 <= b[0] && x1 >= b[2] && y0 <= b[1] && y1 >= b[3];
  if (!ok) return null;
  const ix = Math.trunc(x0);
  const iy = Math.trunc(y0);
  return [ix, iy, ix + Math.trunc(width), iy + Math.trunc(height)];
}

/** expand_bbox_simple: a square of side max(w, h) * (1 + percentage) around the box centre; may leave the image. */
function expandSimple(b: Corners, percentage: number): Corners {
  const [x0, y0, x1, y1] = b;
  const width = x1 - x0;
  const height = y1 - y0;
  const xc = Math.trunc(x0) + floorDiv(width, 2);
  const yc = Math.trunc(y0) + floorDiv(height, 2);
  const half = floorDiv(Math.max(width, height) * (1 + percentage), 2);
  return [Math.trunc(xc - half), Math.trunc(yc - half), Math.trunc(xc + half), Math.trunc(yc + half)];
}

/** DP2's FDF face crop for a face box `b` in an image of W x H. */
export function fdfFaceCrop(b: Corners, W: number, H: number): Corners {
  return expandBoundingBox(b, FDF_EXPANSION_FACTOR, H, W) ?? expandSimple(b, FDF_EXPANSION_FACTOR * 2);
}
