// Gaussian blur anonymization (Hukkelås & Lindseth 2023, Sec. 3.2):
//   I_new = I * (1 - M) + M * I_blur,  I_blur = I filtered with a Gaussian, sigma = 7, k-size = 3 * sigma.
// The paper's k-size 3*sigma = 21 is odd already; for other sigmas we take the odd size
// nearest to 3*sigma from above or at it: ksize = 2 * floor(3*sigma / 2) + 1 (3*sigma odd -> itself,
// even -> +1, fractional -> the odd integer in (3*sigma - 1, 3*sigma + 1]), e.g. 7 -> 21, 9 -> 27, 2 -> 7.
//
// variant 'native' (default): blur at the image's own resolution, bit-exact with OpenCV
//   cv2.GaussianBlur(img, (ksize, ksize), sigma, borderType=cv2.BORDER_REFLECT_101) for 8-bit
//   images (see gaussian.ts), border rule at the real image border, composited inside the mask.
// variant 'deepprivacy2': DeepPrivacy2's GaussianBlurGenerator (dp2/generator/dummy_generators.py,
//   used by configs/anonymizers/traditional/body/gaussian.py): the person's expanded crop
//   (lib/regions/dp2-crop.ts, with the float32 arithmetic of DP2's expand_box) is cut out and
//   resized to 288x160 (cut-pad-resize.ts), blurred there with kernel min(3*sigma, crop
//   width) and sigma (torchvision gaussian_blur: reflect padding), resized back to the box with
//   antialiased bicubic, rounded half to even, clamped, and pasted inside the mask. The blur is
//   then relative to the person's size rather than to the image. In crop space the blurred
//   pixels replace the crop inside DP2's dilated crop mask before resizing back, as DP2 does; the
//   paste into the image uses the given mask (DP2 uses its dilated mask resized back, which
//   reaches a few pixels beyond), so pixels outside the mask stay untouched. Treats the whole
//   mask as one person: call it once per instance.
import type { Image } from '../data/image.ts';
import { checkMask, copyImage, maskArea, maskBox, type PixelBox } from './region-mask.ts';
import { roundHalfEven } from '../data/round-half-even.ts';
import { gaussianBlurU8, getGaussianKernel, separableFilterFloat } from './gaussian.ts';
import { DP2_BODY_SIZE, dp2BodyCrop } from '../regions/dp2-crop.ts';
import { cutPadResize } from './cut-pad-resize.ts';
import { resizeBicubicAA } from './resize.ts';

export type BlurVariant = 'native' | 'deepprivacy2';

export interface BlurOptions {
  /** Gaussian sigma in pixels (default 7). */
  sigma?: number;
  /** Odd kernel size (default kernelSizeForSigma(sigma), 21 for sigma 7). */
  ksize?: number;
  variant?: BlurVariant;
  /** deepprivacy2 only: crop size [height, width] (default [288, 160], DP2's body generator). */
  cropSize?: readonly [number, number];
}

export const BLUR_DEFAULTS = { sigma: 7, variant: 'native' as BlurVariant };

/** The paper's k-size = 3 * sigma made odd: 2 * floor(3 * sigma / 2) + 1. */
export function kernelSizeForSigma(sigma: number): number {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`blur: sigma must be a positive number, got ${sigma}`);
  return 2 * Math.floor((3 * sigma) / 2) + 1;
}

export function blur(img: Image, mask: Uint8Array, opts: BlurOptions = {}): Image {
  checkMask(img, mask);
  const sigma = opts.sigma ?? BLUR_DEFAULTS.sigma;
  const ksize = opts.ksize ?? kernelSizeForSigma(sigma);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`blur: sigma must be a positive number, got ${sigma}`);
  if (!Number.isInteger(ksize) || ksize < 1 || ksize % 2 !== 1) throw new Error(`blur: ksize must be a positive odd integer, got ${ksize}`);
  const variant = opts.variant ?? BLUR_DEFAULTS.variant;
  if (variant === 'native') return gaussianBlurU8(img, ksize, sigma, mask);
  if (variant === 'deepprivacy2') return blurDeepPrivacy2(img, mask, sigma, ksize, opts.cropSize ?? DP2_BODY_SIZE);
  throw new Error(`blur: unknown variant '${String(variant)}' (native, deepprivacy2)`);
}

function blurDeepPrivacy2(img: Image, mask: Uint8Array, sigma: number, ksize: number, size: readonly [number, number]): Image {
  const { width: W, height: H, channels: C } = img;
  const out = copyImage(img);
  const tight = maskBox(mask, W, H);
  if (!tight) return out;
  const [x0, y0, x1, y1] = dp2BodyCrop([tight.x0, tight.y0, tight.x1, tight.y1], maskArea(mask), W, H, size);
  const box: PixelBox = { x0, y0, x1, y1 };
  const crop = cutPadResize(img, box, size);
  // torchvision gaussian_blur(img, kernel_size=min(ksize, width), sigma): reflect padding.
  let k = Math.min(ksize, crop.width);
  if (k % 2 === 0) k -= 1;
  const kern = getGaussianKernel(k, sigma);
  const blurred = separableFilterFloat(crop.data, crop.width, crop.height, C, kern, kern);
  // DP2's generator output: blurred inside its crop-space mask (the region resized with
  // 'nearest', then dilated by a disk of radius int(sqrt(h * w) * 0.02)), the crop elsewhere.
  const cm = cropMask(mask, W, H, box, size);
  for (let p = 0; p < cm.length; p++) {
    if (cm[p] !== 0) continue;
    for (let c = 0; c < C; c++) blurred[p * C + c] = crop.data[p * C + c]!;
  }
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const back = resizeBicubicAA({ width: crop.width, height: crop.height, channels: C, data: blurred }, bw, bh);
  for (let y = Math.max(0, box.y0); y < Math.min(H, box.y1); y++) {
    for (let x = Math.max(0, box.x0); x < Math.min(W, box.x1); x++) {
      if (mask[y * W + x] === 0) continue;
      const si = ((y - box.y0) * bw + (x - box.x0)) * C;
      const di = (y * W + x) * C;
      for (let c = 0; c < C; c++) out.data[di + c] = Math.min(255, Math.max(0, roundHalfEven(back.data[si + c]!)));
    }
  }
  return out;
}

/** The region in crop space: nearest resize of the box (outside the image: 0), then disk dilation. */
function cropMask(mask: Uint8Array, W: number, H: number, box: PixelBox, size: readonly [number, number]): Uint8Array {
  const [th, tw] = size;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const sx = Math.fround(bw / tw);
  const sy = Math.fround(bh / th);
  const m = new Uint8Array(tw * th);
  for (let j = 0; j < th; j++) {
    const y = box.y0 + Math.min(Math.floor(Math.fround(j * sy)), bh - 1);
    if (y < 0 || y >= H) continue;
    for (let i = 0; i < tw; i++) {
      const x = box.x0 + Math.min(Math.floor(Math.fround(i * sx)), bw - 1);
      if (x >= 0 && x < W && mask[y * W + x] !== 0) m[j * tw + i] = 1;
    }
  }
  const r = Math.trunc(Math.sqrt(th * tw) * 0.02);
  if (r <= 0) return m;
  const out = new Uint8Array(m.length);
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      if (m[j * tw + i] === 0) continue;
      for (let dy = -r; dy <= r; dy++) {
        const y = j + dy;
        if (y < 0 || y >= th) continue;
        for (let dx = -r; dx <= r; dx++) {
          const x = i + dx;
          if (x >= 0 && x < tw && dx * dx + dy * dy <= r * r) out[y * tw + x] = 1;
        }
      }
    }
  }
  return out;
}
