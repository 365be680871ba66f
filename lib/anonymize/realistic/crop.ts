// From an image and a region to the generator's input, and from the generator's output back
// into the image, as DeepPrivacy2 does it (hukkelas/deep_privacy2, dp2/anonymizer/anonymizer.py
// `anonymize_detections` and dp2/detection/structures.py `get_crop`), with one change for
// privacy: the region pixels are zeroed in the image-resolution crop BEFORE it is resized, so
// that no region pixel reaches the generator (DP2 resizes first and multiplies by the mask after,
// which lets bicubic taps carry region values into the context pixels at the mask's border).
//
// 1. Crop box: the region's `cropBox` (DP2's expanded body box, lib/regions/dp2-crop.ts; its FDF
//    face crop, lib/regions/fdf-crop.ts; a plate's box with a margin, lib/regions/plate.ts);
//    where a region has none, the same rule computed from the mask's tight box. Grown to contain
//    the mask's tight box if it does not (a dilated mask can poke out of a box computed from the
//    undilated one).
// 2. Input: the box cut from the image (zero outside it), every hidden pixel (the union of all
//    regions of the image: a later region's original pixels are no context for an earlier one)
//    set to 0, resized to the generator's size with DP2's `cut_pad_resize` (nearest when the
//    box is smaller than the target in both axes, else antialiased bicubic; cut-pad-resize.ts).
//    The mask at the generator's size marks a pixel when any hidden pixel falls in its footprint
//    (so the generator fills everything that was zeroed), and those pixels are zeroed again.
// 3. Keypoints: image coordinates shifted by the box origin and scaled to the generator's size;
//    outside the crop, or v = 0: absent (DP2 `shift_and_preprocess_keypoints`).
// 4. Paste: the output resized to the box size (antialiased bicubic, as DP2's F.resize), rounded
//    half to even and clamped, written only where the region's own mask is set.
import type { Image } from '../../data/image.ts';
import type { Region } from '../../regions/region.ts';
import { dp2BodyCrop, type Corners } from '../../regions/dp2-crop.ts';
import { fdfFaceCrop } from '../../regions/fdf-crop.ts';
import { plateCrop } from '../../regions/plate.ts';
import { cutPadResize } from '../cut-pad-resize.ts';
import { roundHalfEven } from '../../data/round-half-even.ts';
import { maskBox, type PixelBox } from '../region-mask.ts';
import { resizeBicubicAA, resizeNearest, type FloatImage } from '../resize.ts';
import type { GeneratorInput } from './generator.ts';

/** The crop box of a region: its cropBox, else DP2's rule, grown to hold the mask's tight box. */
export function regionCropBox(region: Pick<Region, 'kind' | 'cropBox'>, mask: Uint8Array, width: number, height: number): PixelBox {
  const tight = maskBox(mask, width, height);
  if (!tight) throw new Error('realistic: the region mask is empty');
  let box: PixelBox;
  if (region.cropBox) {
    const [x, y, w, h] = region.cropBox;
    box = { x0: x, y0: y, x1: x + w, y1: y + h };
  } else {
    const t: Corners = [tight.x0, tight.y0, tight.x1, tight.y1];
    let area = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) area++;
    const c = region.kind === 'face' ? fdfFaceCrop(t, width, height) : region.kind === 'plate' ? plateCrop(t) : dp2BodyCrop(t, area, width, height);
    box = { x0: c[0], y0: c[1], x1: c[2], y1: c[3] };
  }
  return {
    x0: Math.min(box.x0, tight.x0),
    y0: Math.min(box.y0, tight.y0),
    x1: Math.max(box.x1, tight.x1),
    y1: Math.max(box.y1, tight.y1),
  };
}

/** The part of a full-image mask inside `box` (zero outside the image), bw * bh bytes. */
export function cutMask(mask: Uint8Array, width: number, height: number, box: PixelBox): Uint8Array {
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const out = new Uint8Array(bw * bh);
  for (let y = Math.max(0, box.y0); y < Math.min(height, box.y1); y++) {
    for (let x = Math.max(0, box.x0); x < Math.min(width, box.x1); x++) {
      if (mask[y * width + x] !== 0) out[(y - box.y0) * bw + (x - box.x0)] = 1;
    }
  }
  return out;
}

/** Binary erosion by the disk dx^2 + dy^2 <= r^2 (outside the array counts as background). */
export function erodeDisk(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return mask.slice();
  const offs: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) offs.push([dx, dy]);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (mask[y * w + x] === 0) continue;
      let keep = 1;
      for (const [dx, dy] of offs) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h || mask[yy * w + xx] === 0) {
          keep = 0;
          break;
        }
      }
      out[y * w + x] = keep;
    }
  }
  return out;
}

/** A box-resolution mask to the generator's size: set where any source pixel of the footprint is set. */
export function maskToSizeAny(m: Uint8Array, bw: number, bh: number, W: number, H: number): Uint8Array {
  const sat = new Int32Array((bw + 1) * (bh + 1));
  for (let y = 0; y < bh; y++) {
    let row = 0;
    for (let x = 0; x < bw; x++) {
      row += m[y * bw + x] !== 0 ? 1 : 0;
      sat[(y + 1) * (bw + 1) + x + 1] = sat[y * (bw + 1) + x + 1] + row;
    }
  }
  const out = new Uint8Array(W * H);
  for (let j = 0; j < H; j++) {
    const y0 = Math.floor((j * bh) / H);
    const y1 = Math.max(y0 + 1, Math.ceil(((j + 1) * bh) / H));
    for (let i = 0; i < W; i++) {
      const x0 = Math.floor((i * bw) / W);
      const x1 = Math.max(x0 + 1, Math.ceil(((i + 1) * bw) / W));
      const s = sat[y1 * (bw + 1) + x1] - sat[y0 * (bw + 1) + x1] - sat[y1 * (bw + 1) + x0] + sat[y0 * (bw + 1) + x0];
      out[j * W + i] = s > 0 ? 1 : 0;
    }
  }
  return out;
}

/** A box-resolution mask to the generator's size by torch 'nearest' (DP2's mask resizing). */
export function maskToSizeNearest(m: Uint8Array, bw: number, bh: number, W: number, H: number): Uint8Array {
  const f: FloatImage = { width: bw, height: bh, channels: 1, data: Float64Array.from(m, (v) => (v !== 0 ? 1 : 0)) };
  const r = resizeNearest(f, W, H);
  return Uint8Array.from(r.data, (v) => (v > 0.5 ? 1 : 0));
}

/** Image keypoints [x, y, v] * 17 -> crop keypoints at the generator's size (absent outside the crop). */
export function keypointsToCrop(kp: readonly number[], box: PixelBox, W: number, H: number): Float32Array {
  if (kp.length !== 51) throw new Error(`realistic: ${kp.length} keypoint values, expected 51 (17 COCO keypoints)`);
  const sx = W / (box.x1 - box.x0);
  const sy = H / (box.y1 - box.y0);
  const out = new Float32Array(51);
  for (let k = 0; k < 17; k++) {
    const v = kp[3 * k + 2]!;
    const x = (kp[3 * k]! - box.x0) * sx;
    const y = (kp[3 * k + 1]! - box.y0) * sy;
    if (v > 0 && x >= 0 && y >= 0 && x < W && y < H) {
      out[3 * k] = x;
      out[3 * k + 1] = y;
      out[3 * k + 2] = v;
    }
  }
  return out;
}

/** Everything about one region's crop that the anonymizer needs. */
export interface RegionCrop {
  /** The crop box in image pixels (may reach outside the image). */
  box: PixelBox;
  /** What the generator gets. */
  input: GeneratorInput;
  /** The region's own mask inside the box at image resolution (where the output is pasted). */
  boxMask: Uint8Array;
  /** The region's undilated mask at the generator's size (HM's blending mask). */
  coreMask: Uint8Array;
  /** The crop's context pixels at image resolution (inside the image, outside every region), as a 1-row image. */
  context: Image;
}

export interface CropOptions {
  /** Generator size. */
  width: number;
  height: number;
  /** Pass keypoints (when the region has them). */
  keypoints: boolean;
}

/**
 * The crop of `region` for a generator. `regionMask` is the region's full-image mask, `hidden`
 * the union of the masks of all regions of the image (what is never read); `dilation` is the
 * disk radius the region mask was dilated by (Region.dilation), undone by an erosion for HM's
 * core mask. Region pixels of `img` are never read.
 */
export function prepareCrop(img: Image, region: Pick<Region, 'kind' | 'cropBox' | 'keypoints' | 'dilation'>, regionMask: Uint8Array, hidden: Uint8Array, o: CropOptions): RegionCrop {
  const { width: IW, height: IH, channels: C } = img;
  if (C !== 3) throw new Error(`realistic: the image has ${C} channels, RGB (3) expected`);
  if (regionMask.length !== IW * IH || hidden.length !== IW * IH) throw new Error(`realistic: mask size does not match the ${IW}x${IH} image`);
  const box = regionCropBox(region, regionMask, IW, IH);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const cx0 = Math.max(0, box.x0);
  const cy0 = Math.max(0, box.y0);
  const cx1 = Math.min(IW, box.x1);
  const cy1 = Math.min(IH, box.y1);
  // the in-image part of the box, hidden pixels zeroed
  const sw = cx1 - cx0;
  const sh = cy1 - cy0;
  const sub = new Uint8Array(sw * sh * 3);
  const ctx: number[] = [];
  for (let y = cy0; y < cy1; y++) {
    for (let x = cx0; x < cx1; x++) {
      const p = y * IW + x;
      if (hidden[p] !== 0) continue;
      const s = p * 3;
      const d = ((y - cy0) * sw + (x - cx0)) * 3;
      sub[d] = img.data[s]!;
      sub[d + 1] = img.data[s + 1]!;
      sub[d + 2] = img.data[s + 2]!;
      ctx.push(img.data[s]!, img.data[s + 1]!, img.data[s + 2]!);
    }
  }
  const shifted: PixelBox = { x0: box.x0 - cx0, y0: box.y0 - cy0, x1: box.x1 - cx0, y1: box.y1 - cy0 };
  const r = cutPadResize({ width: sw, height: sh, channels: 3, data: sub }, shifted, [o.height, o.width]);
  const W = o.width;
  const H = o.height;
  const hiddenBox = cutMask(hidden, IW, IH, box);
  const mask = maskToSizeAny(hiddenBox, bw, bh, W, H);
  const image = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    if (mask[i] !== 0) continue;
    for (let c = 0; c < 3; c++) image[i * 3 + c] = Math.min(255, Math.max(0, Math.round(r.data[i * 3 + c]!)));
  }
  const boxMask = cutMask(regionMask, IW, IH, box);
  const core = erodeDisk(boxMask, bw, bh, region.dilation ?? 0);
  const input: GeneratorInput = { image, mask };
  if (o.keypoints && region.keypoints) input.keypoints = keypointsToCrop(region.keypoints, box, W, H);
  return {
    box,
    input,
    boxMask,
    coreMask: maskToSizeNearest(core, bw, bh, W, H),
    context: { width: ctx.length / 3, height: 1, channels: 3, data: Uint8Array.from(ctx) },
  };
}

/** The original crop at the generator's size, region pixels included (DP2's reference for HM / HM-LO: reads the region). */
export function originalCrop(img: Image, box: PixelBox, W: number, H: number): Image {
  const r = cutPadResize(img, box, [H, W]);
  return { width: W, height: H, channels: 3, data: Uint8Array.from(r.data, (v) => Math.min(255, Math.max(0, Math.round(v)))) };
}

/** Generator output (RGB in [0, 1], W * H * 3) -> bytes, rounded half to even and clamped (DP2's round().clamp().byte()). */
export function toBytes(rgb: Float32Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = Math.min(255, Math.max(0, roundHalfEven(rgb[i]! * 255)));
  return out;
}

/**
 * Pastes a generated crop (bytes at the generator's size W x H) into `out` (in place): resized
 * to the box with antialiased bicubic, written where `crop.boxMask` is set and inside the image.
 */
export function pasteCrop(out: Image, crop: Pick<RegionCrop, 'box' | 'boxMask'>, generated: Uint8Array, W: number, H: number): void {
  const { box, boxMask } = crop;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (generated.length !== W * H * 3) throw new Error(`paste: ${generated.length} bytes for a ${W}x${H} RGB crop`);
  const src: FloatImage = { width: W, height: H, channels: 3, data: Float64Array.from(generated) };
  const r = bw === W && bh === H ? src : resizeBicubicAA(src, bw, bh);
  const IW = out.width;
  for (let y = Math.max(0, box.y0); y < Math.min(out.height, box.y1); y++) {
    for (let x = Math.max(0, box.x0); x < Math.min(IW, box.x1); x++) {
      const b = (y - box.y0) * bw + (x - box.x0);
      if (boxMask[b] === 0) continue;
      for (let c = 0; c < 3; c++) out.data[(y * IW + x) * 3 + c] = Math.min(255, Math.max(0, roundHalfEven(r.data[b * 3 + c]!)));
    }
  }
}
