// Label maps and masks read as cityscapesScripts reads them through PIL: palette PNGs give their
// indices (checked against libvips' own RGB decode of the same file through the palette, for
// palettes of 1, 2, 4 and 8 bits written by libvips with adaptive row filters), colour masks go
// through PIL's luma formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { readBinaryMask, readInstanceIdMap, readLabelMap } from '../../lib/eval/label-image.ts';
import { pngBytes } from './png-fixtures.ts';

function paletteOf(png: Buffer): number[] {
  let off = 8;
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    if (png.toString('ascii', off + 4, off + 8) === 'PLTE') return [...png.subarray(off + 8, off + 8 + len)];
    off += 12 + len;
  }
  throw new Error('no PLTE');
}

for (const colours of [2, 3, 12, 200]) {
  test(`palette PNG with ${colours} colours: indices, filtered rows and packed bits`, async () => {
    const w = 37;
    const h = 23;
    const rgb = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      const c = (i * 7 + (i >> 3)) % colours;
      rgb[3 * i] = (c * 53) & 255;
      rgb[3 * i + 1] = (c * 97 + 11) & 255;
      rgb[3 * i + 2] = (c * 29 + 200) & 255;
    }
    const png = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png({ palette: true, colours, dither: 0, adaptiveFiltering: true }).toBuffer();
    assert.equal(png[25], 3, 'written as a palette PNG');
    const want = { 2: 1, 3: 2, 12: 4, 200: 8 }[colours];
    assert.equal(png[24], want, 'bit depth');
    const m = await readLabelMap(png);
    const pal = paletteOf(png);
    const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < w * h; i++) {
      const k = m.data[i];
      assert.deepEqual([pal[3 * k], pal[3 * k + 1], pal[3 * k + 2]], [data[3 * i], data[3 * i + 1], data[3 * i + 2]], `pixel ${i}`);
    }
  });
}

test('colour label maps are rejected, 16-bit instance ids are read unscaled', async () => {
  const rgb = await sharp(Buffer.alloc(12, 7), { raw: { width: 2, height: 2, channels: 3 } }).png().toBuffer();
  await assert.rejects(readLabelMap(rgb, 'x.png'), /x\.png: a label map must be an 8-bit single-channel .* this one is RGB/);
  const inst = await readInstanceIdMap(pngBytes(3, 1, [26001, 7, 33999], 0, 16));
  assert.deepEqual([...inst.data], [26001, 7, 33999]);
  await assert.rejects(readLabelMap(Buffer.from('not a png'), 'n.png'), /n\.png: not a PNG file/);
});

test('binary masks: nonzero after PIL L conversion', async () => {
  // RGB (1, 0, 0) has luma 0 in PIL, (0, 1, 0) has 1 (19595 vs 38470 against 0x8000)
  const rgb = await sharp(Buffer.from([1, 0, 0, 0, 1, 0, 0, 0, 0, 255, 255, 255]), { raw: { width: 4, height: 1, channels: 3 } }).png().toBuffer();
  assert.deepEqual([...(await readBinaryMask(rgb)).data], [0, 1, 0, 1]);
  assert.deepEqual([...(await readBinaryMask(pngBytes(3, 1, [0, 1, 255], 0, 8))).data], [0, 1, 1]);
  assert.deepEqual([...(await readBinaryMask(pngBytes(3, 1, [0, 1, 256], 0, 16))).data], [0, 1, 1]);
});
