// Qualitative grids like the papers' appendix figures: the same image under each method side by
// side, a caption under each ("(a) Body - Gaussian"), one row per image. Images are scaled to fit
// a cell (aspect kept, centred); captions and row labels are one SVG overlay that sharp renders
// with librsvg. The result is a PNG.
import sharp from 'sharp';
import { writeFileAtomic } from '../data/atomic.ts';

export interface GridCell {
  /** A file path or encoded image bytes. */
  image: string | Buffer;
  caption?: string;
}

export interface GridOptions {
  /** Cell size in pixels (default 320 wide; height from the first image's aspect). */
  cellWidth?: number;
  cellHeight?: number;
  /** Space between and around cells (default 8). */
  gap?: number;
  /** Caption font size in pixels (default 16); the caption band is 1.8 times that. */
  fontSize?: number;
  /** Labels left of each row (a band of `rowLabelWidth`, default 120, when given). */
  rowLabels?: readonly string[];
  rowLabelWidth?: number;
  /** Prefix captions with (a), (b), ... in reading order, as the papers do. */
  letters?: boolean;
  /** Background (default white). */
  background?: string;
  fontFamily?: string;
}

export interface GridLayout {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  captionHeight: number;
  /** Top-left corner of each cell's image box, [row][column]. */
  cells: { left: number; top: number }[][];
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Where everything goes, without drawing. */
export function gridLayout(rows: readonly (readonly GridCell[])[], options: GridOptions & { cellHeight: number }): GridLayout {
  const cellWidth = options.cellWidth ?? 320;
  const cellHeight = options.cellHeight;
  const gap = options.gap ?? 8;
  const fontSize = options.fontSize ?? 16;
  const hasCaptions = rows.some((r) => r.some((c) => c.caption)) || (options.letters ?? false);
  const captionHeight = hasCaptions ? Math.ceil(fontSize * 1.8) : 0;
  const labelWidth = options.rowLabels ? (options.rowLabelWidth ?? 120) : 0;
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const width = labelWidth + cols * cellWidth + (cols + 1) * gap;
  const height = rows.length * (cellHeight + captionHeight) + (rows.length + 1) * gap;
  const cells = rows.map((r, i) => r.map((_, j) => ({ left: labelWidth + gap + j * (cellWidth + gap), top: gap + i * (cellHeight + captionHeight + gap) })));
  return { width, height, cellWidth, cellHeight, captionHeight, cells };
}

/** Composes the grid; returns PNG bytes. */
export async function imageGrid(rows: readonly (readonly GridCell[])[], options: GridOptions = {}): Promise<Buffer> {
  if (rows.length === 0 || rows.every((r) => r.length === 0)) throw new Error('image grid: no images');
  const cellWidth = options.cellWidth ?? 320;
  if (options.rowLabels && options.rowLabels.length !== rows.length) throw new Error(`image grid: ${options.rowLabels.length} row labels for ${rows.length} rows`);
  let cellHeight = options.cellHeight;
  if (cellHeight === undefined) {
    const first = rows.find((r) => r.length > 0)![0]!;
    const m = await sharp(first.image).metadata();
    if (!m.width || !m.height) throw new Error(`image grid: cannot read the size of ${typeof first.image === 'string' ? first.image : 'the first image'}`);
    cellHeight = Math.max(1, Math.round((cellWidth * m.height) / m.width));
  }
  const layout = gridLayout(rows, { ...options, cellWidth, cellHeight });
  const background = options.background ?? '#ffffff';
  const fontSize = options.fontSize ?? 16;
  const family = xml(options.fontFamily ?? 'DejaVu Sans, Liberation Sans, sans-serif');

  const composites: sharp.OverlayOptions[] = [];
  const texts: string[] = [];
  let letter = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < rows[i]!.length; j++) {
      const cell = rows[i]![j]!;
      const at = layout.cells[i]![j]!;
      let input: Buffer;
      try {
        input = await sharp(cell.image).rotate().resize(cellWidth, cellHeight, { fit: 'contain', background }).flatten({ background }).png().toBuffer();
      } catch (e) {
        throw new Error(`image grid: row ${i + 1}, column ${j + 1} (${typeof cell.image === 'string' ? cell.image : 'bytes'}): ${(e as Error).message}`);
      }
      composites.push({ input, left: at.left, top: at.top });
      const caption = options.letters ? `(${String.fromCharCode(97 + (letter++ % 26))})${cell.caption ? ` ${cell.caption}` : ''}` : cell.caption;
      if (caption) {
        const y = at.top + cellHeight + layout.captionHeight / 2;
        texts.push(`<text x="${at.left + cellWidth / 2}" y="${y}" font-size="${fontSize}" text-anchor="middle" dominant-baseline="central">${xml(caption)}</text>`);
      }
    }
    const label = options.rowLabels?.[i];
    if (label) {
      const top = layout.cells[i]![0]?.top ?? 0;
      texts.push(`<text x="${(options.rowLabelWidth ?? 120) / 2}" y="${top + cellHeight / 2}" font-size="${fontSize}" text-anchor="middle" dominant-baseline="central">${xml(label)}</text>`);
    }
  }
  if (texts.length) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}"><g font-family="${family}" fill="#000000">${texts.join('')}</g></svg>`;
    composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  }
  return sharp({ create: { width: layout.width, height: layout.height, channels: 3, background } })
    .composite(composites)
    .png()
    .toBuffer();
}

/** Composes the grid and writes it as PNG, atomically. */
export async function writeImageGrid(file: string, rows: readonly (readonly GridCell[])[], options: GridOptions = {}): Promise<void> {
  await writeFileAtomic(file, await imageGrid(rows, options));
}
