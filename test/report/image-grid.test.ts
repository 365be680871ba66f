import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { gridLayout, imageGrid, writeImageGrid } from '../../lib/report/image-grid.ts';

const solid = (w: number, h: number, r: number, g: number, b: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } }).png().toBuffer();

async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [...data.subarray(i, i + 3)];
}

test('grid: dimensions, each image in its cell, captions drawn below', async () => {
  const red = await solid(200, 100, 255, 0, 0);
  const green = await solid(200, 100, 0, 255, 0);
  const blue = await solid(100, 100, 0, 0, 255); // square: letterboxed into the 2:1 cell
  const rows = [
    [{ image: red, caption: 'Face - Blur' }, { image: green, caption: 'Face - Mask Out' }, { image: blue, caption: 'Face - Realistic' }],
    [{ image: green }, { image: red }, { image: blue }],
  ];
  const png = await imageGrid(rows, { cellWidth: 160, gap: 10, fontSize: 14, letters: true });
  const meta = await sharp(png).metadata();
  // cell height 160·100/200 = 80; caption band ceil(14·1.8) = 26
  // width 3·160 + 4·10 = 520; height 2·(80 + 26) + 3·10 = 242
  assert.equal(meta.format, 'png');
  assert.deepEqual([meta.width, meta.height], [520, 242]);
  const layout = gridLayout(rows, { cellWidth: 160, cellHeight: 80, gap: 10, fontSize: 14, letters: true });
  assert.deepEqual(layout.cells[1]![2], { left: 10 + 2 * 170, top: 10 + 116 });
  // cell centres carry their image's colour
  assert.deepEqual(await pixel(png, 10 + 80, 10 + 40), [255, 0, 0]);
  assert.deepEqual(await pixel(png, 180 + 80, 10 + 40), [0, 255, 0]);
  assert.deepEqual(await pixel(png, 350 + 80, 10 + 40), [0, 0, 255]);
  assert.deepEqual(await pixel(png, 10 + 80, 126 + 40), [0, 255, 0]);
  // the square image is letterboxed: white left and right of it inside the 160x80 cell
  assert.deepEqual(await pixel(png, 350 + 5, 10 + 40), [255, 255, 255]);
  // the caption band under the first cell has dark text pixels; the gap above the grid has none
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let y = 90; y < 116; y++) for (let x = 10; x < 170; x++) if (data[(y * info.width + x) * info.channels]! < 100) dark++;
  assert.ok(dark > 30, `caption pixels: ${dark}`);
  for (let x = 0; x < info.width; x++) assert.equal(data[(2 * info.width + x) * info.channels], 255);
});

test('row labels widen the grid; the file is written as PNG; bad input is named', async () => {
  const img = await solid(64, 32, 10, 20, 30);
  const dir = await mkdtemp(join(tmpdir(), 'image-grid-'));
  try {
    const file = join(dir, 'grid.png');
    await writeImageGrid(file, [[{ image: img }, { image: img }]], { cellWidth: 64, gap: 4, rowLabels: ['Cityscapes'], rowLabelWidth: 100 });
    const meta = await sharp(await readFile(file)).metadata();
    // no captions: 100 + 2·64 + 3·4 = 240 wide, 32 + 2·4 = 40 high
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 240, 40]);
    await assert.rejects(imageGrid([[{ image: img }, { image: join(dir, 'missing.png') }]], { cellWidth: 64 }), /row 1, column 2 \(.*missing\.png\)/);
    await assert.rejects(imageGrid([[{ image: img }]], { rowLabels: ['a', 'b'] }), /2 row labels for 1 rows/);
    await assert.rejects(imageGrid([]), /no images/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
