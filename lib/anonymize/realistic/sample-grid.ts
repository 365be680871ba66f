// A training sample grid: one row per example, three crops side by side,
//   masked input (region painted grey 127, as mask-out) | generated (pasted into the region) | original,
// each scaled up by an integer factor (nearest) so that small crops stay visible, with a 2-pixel
// white gutter.
import type { Image } from '../../data/image.ts';

export interface GridRow {
  /** Original crop, RGB W * H * 3. */
  original: Uint8Array;
  /** 1 = region. */
  mask: Uint8Array;
  /** Generator output, RGB W * H * 3. */
  generated: Uint8Array;
}

export function sampleGrid(rows: readonly GridRow[], W: number, H: number, scale = 1): Image {
  const gap = 2;
  const cw = W * scale;
  const ch = H * scale;
  const width = 3 * cw + 4 * gap;
  const height = rows.length * ch + (rows.length + 1) * gap;
  const data = new Uint8Array(width * height * 3).fill(255);
  const put = (ox: number, oy: number, px: (i: number, c: number) => number) => {
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const i = Math.floor(y / scale) * W + Math.floor(x / scale);
        const o = ((oy + y) * width + ox + x) * 3;
        for (let c = 0; c < 3; c++) data[o + c] = px(i, c);
      }
    }
  };
  rows.forEach((r, k) => {
    const oy = gap + k * (ch + gap);
    put(gap, oy, (i, c) => (r.mask[i] ? 127 : r.original[i * 3 + c]!));
    put(2 * gap + cw, oy, (i, c) => (r.mask[i] ? r.generated[i * 3 + c]! : r.original[i * 3 + c]!));
    put(3 * gap + 2 * cw, oy, (i, c) => r.original[i * 3 + c]!);
  });
  return { width, height, channels: 3, data };
}
