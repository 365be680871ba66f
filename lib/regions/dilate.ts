// Binary dilation of a COCO RLE mask by a disk, and DeepPrivacy2's dilation radius.
//
// The structuring element is the disk of integer offsets (dx, dy) with dx^2 + dy^2 <= r^2,
// which is skimage.morphology.disk(r) (strict radius), the kernel DP2 builds in
// dp2/detection/utils.py `get_kernel`; pixels outside the image count as background (DP2's
// zero-padded convolution in dp2/utils/torch_utils.py `binary_dilation`).
//
// The dilation works on the runs directly, never on a full-image pixel buffer: the RLE is cut
// into per-column runs (it is column-major), and output column x is the union, over
// |dx| <= r, of column x + dx's runs each grown by k(|dx|) = floor(sqrt(r^2 - dx^2)) rows up
// and down. Only columns within r of the mask's box are visited, so the cost is about
// (box width + 2r) * (2r + 1) * (runs per column), independent of the image size.
import type { Rle } from '../data/types.ts';
import { assertRle } from '../data/masks/index.ts';
import { DP2_BODY_SIZE, cropArea, type Corners } from './dp2-crop.ts';

/** DP2's dilation_percentage for body crops (tools/anonymization/<dataset>/visualize_body.py). */
export const DP2_DILATION_PERCENTAGE = 0.02;

/**
 * DP2's kernel radius in the 288x160 crop: int(sqrt(288 * 160) * 0.02) = int(4.29...) = 4
 * (structures.py PersonDetection.pre_process: get_kernel(int((H * W) ** 0.5 * dilation_percentage))).
 */
export const DP2_CROP_RADIUS = Math.trunc(Math.sqrt(DP2_BODY_SIZE[0] * DP2_BODY_SIZE[1]) * DP2_DILATION_PERCENTAGE);

/**
 * DP2 dilates the person's mask after resizing its expanded crop (dp2BodyCrop) to 288x160, by
 * a disk of DP2_CROP_RADIUS crop pixels. We dilate at image resolution, so the radius is
 * scaled back by the crop-to-image factor sqrt(crop area / (288 * 160)) (the crop has the
 * generator's aspect ratio, so both axes scale alike) and rounded to the nearest integer
 * (halves up): r = round(4 * sqrt(A / 46080)), i.e. about 1.86% of sqrt(A), where A is the
 * expanded crop's area in image pixels. A crop of 288x160 image pixels gets r = 4 exactly;
 * persons whose crop is smaller than about 36x20 get r = 0 (DP2's upsampled crop dilates
 * less than half an image pixel there).
 */
export function dp2DilationRadius(crop: Corners): number {
  const a = cropArea(crop);
  if (!(a > 0)) throw new RangeError(`dp2DilationRadius: empty crop [${crop.join(', ')}]`);
  return Math.round(DP2_CROP_RADIUS * Math.sqrt(a / (DP2_BODY_SIZE[0] * DP2_BODY_SIZE[1])));
}

/** k[d] = floor(sqrt(r^2 - d^2)) for d = 0..r: the disk's half-height at horizontal offset d. */
export function diskHalfWidths(r: number): Int32Array {
  const k = new Int32Array(r + 1);
  const r2 = r * r;
  for (let d = 0; d <= r; d++) {
    const m = r2 - d * d;
    let s = Math.floor(Math.sqrt(m));
    while (s * s > m) s--;
    while ((s + 1) * (s + 1) <= m) s++;
    k[d] = s;
  }
  return k;
}

/** Runs of 1s cut at column boundaries: column `col[i]`, rows [y0[i], y1[i]), in column-major order. */
interface ColumnRuns {
  /** first[x]..first[x + 1] - 1 index the runs of column x. */
  first: Int32Array;
  y0: Int32Array;
  y1: Int32Array;
  /** Columns holding at least one pixel: [xMin, xMax], or xMin > xMax when empty. */
  xMin: number;
  xMax: number;
}

function columnRuns(rle: Rle): ColumnRuns {
  const { h, w, counts } = rle;
  // count the pieces first
  let n = 0;
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j];
    if (j & 1 && c > 0) n += Math.floor((pos + c - 1) / h) - Math.floor(pos / h) + 1;
    pos += c;
  }
  const colOf = new Int32Array(n);
  const y0 = new Int32Array(n);
  const y1 = new Int32Array(n);
  let i = 0;
  pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j];
    if (j & 1 && c > 0) {
      let p = pos;
      const end = pos + c;
      while (p < end) {
        const x = Math.floor(p / h);
        const colEnd = Math.min(end, (x + 1) * h);
        colOf[i] = x;
        y0[i] = p - x * h;
        y1[i] = colEnd - x * h;
        i++;
        p = colEnd;
      }
    }
    pos += c;
  }
  const first = new Int32Array(w + 1);
  for (let t = 0; t < n; t++) first[colOf[t] + 1]++;
  for (let x = 0; x < w; x++) first[x + 1] += first[x];
  return { first, y0, y1, xMin: n > 0 ? colOf[0] : 0, xMax: n > 0 ? colOf[n - 1] : -1 };
}

/** Appends runs of 1s at increasing column-major positions and builds pycocotools-style counts. */
class RunWriter {
  private out: number[] = [];
  private end = 0; // position after the last 1-run written

  push(start: number, stop: number): void {
    if (stop <= start) return;
    const o = this.out;
    if (o.length > 0 && start === this.end) o[o.length - 1] += stop - start;
    else o.push(start - this.end, stop - start);
    this.end = stop;
  }

  finish(h: number, w: number): Rle {
    const o = this.out;
    const total = h * w;
    if (o.length === 0) o.push(total);
    else if (total > this.end) o.push(total - this.end);
    return { h, w, counts: Uint32Array.from(o) };
  }
}

/**
 * The mask dilated by the disk of radius `r` (integer >= 0), same size, canonical RLE (as
 * pycocotools' encode would write the dilated pixels). r = 0 returns a copy.
 */
export function dilate(mask: Rle, r: number): Rle {
  assertRle(mask, 'dilate');
  if (!Number.isInteger(r) || r < 0) throw new RangeError(`dilate: radius must be an integer >= 0, got ${r}`);
  const { h, w } = mask;
  const runs = columnRuns(mask);
  if (r === 0 || runs.xMin > runs.xMax) {
    // re-encode canonically (drops zero-length runs a caller's RLE may carry)
    const wr = new RunWriter();
    for (let x = runs.xMin; x <= runs.xMax; x++) for (let t = runs.first[x]; t < runs.first[x + 1]; t++) wr.push(x * h + runs.y0[t], x * h + runs.y1[t]);
    return wr.finish(h, w);
  }
  const k = diskHalfWidths(r);
  const { first, y0, y1 } = runs;
  const wr = new RunWriter();
  let s0 = new Int32Array(64);
  let s1 = new Int32Array(64);
  const order: number[] = [];
  const xs = Math.max(0, runs.xMin - r);
  const xe = Math.min(w - 1, runs.xMax + r);
  for (let x = xs; x <= xe; x++) {
    // gather the grown runs of columns x - r .. x + r
    let m = 0;
    const ca = Math.max(0, x - r);
    const cb = Math.min(w - 1, x + r);
    const need = first[cb + 1] - first[ca];
    if (need === 0) continue;
    if (s0.length < need) {
      s0 = new Int32Array(need * 2);
      s1 = new Int32Array(need * 2);
    }
    for (let c = ca; c <= cb; c++) {
      const g = k[Math.abs(c - x)];
      for (let t = first[c]; t < first[c + 1]; t++) {
        s0[m] = Math.max(0, y0[t] - g);
        s1[m] = Math.min(h, y1[t] + g);
        m++;
      }
    }
    order.length = m;
    for (let i = 0; i < m; i++) order[i] = i;
    if (m > 1) order.sort((a, b) => s0[a] - s0[b]);
    // union of the sorted intervals
    let cs = s0[order[0]];
    let ce = s1[order[0]];
    const base = x * h;
    for (let i = 1; i < m; i++) {
      const a = s0[order[i]];
      const b = s1[order[i]];
      if (a <= ce) {
        if (b > ce) ce = b;
      } else {
        wr.push(base + cs, base + ce);
        cs = a;
        ce = b;
      }
    }
    wr.push(base + cs, base + ce);
  }
  return wr.finish(h, w);
}
