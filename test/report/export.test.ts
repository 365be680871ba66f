// Figure export through Debian's chromium. One browser for the whole file (start ~1-3 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { chromiumPath, DEFAULT_CHROMIUM, FigureExporter, figurePngs, parseFormats } from '../../lib/report/export.ts';
import type { FigureSpec } from '../../lib/report/figures.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to test figure export`;

const BAR: FigureSpec = {
  data: [{ type: 'bar', name: 'Face', x: ['Blur', 'Mask-out'], y: [-0.3, 0], error_y: { type: 'data', array: [0.2, 0.2], visible: true } }],
  layout: { title: { text: 'Δ AP' }, width: 400, height: 300 },
};
const HEAT: FigureSpec = { data: [{ type: 'heatmap', x: ['Blur'], y: ['person', 'rider'], z: [[-0.4], [-0.8]], zmid: 0, colorscale: 'RdBu' }], layout: {} };

test('formats and the missing-chromium error', () => {
  assert.deepEqual(parseFormats('png, SVG,pdf,png'), ['png', 'svg', 'pdf']);
  assert.throws(() => parseFormats('png,gif'), /unknown image format 'gif'/);
  assert.throws(() => chromiumPath('/nonexistent/chromium'), /chromium not found at \/nonexistent\/chromium: install Debian's chromium: apt-get install chromium/);
});

test('export writes a valid PNG, SVG and PDF (one browser for several figures)', { skip }, async (t) => {
  const dir = await tempDir(t, 'export-');
  const ex = await FigureExporter.open({ executablePath: CHROMIUM });
  try {
    const paths = await ex.write(BAR, join(dir, 'bar'), ['png', 'svg', 'pdf']);
    assert.deepEqual(paths, ['png', 'svg', 'pdf'].map((f) => join(dir, `bar.${f}`)));
    const png = await readFile(paths[0]!);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 800, 600]); // 400 x 300 at scale 2
    // not a blank image: the bars and text differ from the background
    const stats = await sharp(png).stats();
    assert.ok(stats.channels[0]!.min < 128, 'the PNG has dark pixels');
    const svg = (await readFile(paths[1]!, 'utf8'));
    assert.ok(svg.startsWith('<svg'), svg.slice(0, 40));
    assert.match(svg, /width="400" height="300"/);
    assert.match(svg, /Mask-out/);
    const pdf = await readFile(paths[2]!);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.length > 1000);
    // one page of the figure's size: 400 x 300 CSS px = 300 x 225 pt (chromium rounds to its device units)
    const text = pdf.toString('latin1');
    assert.match(text, /\/Count 1\b/);
    const box = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text);
    assert.ok(box && Math.abs(Number(box[1]) - 300) < 0.5 && Math.abs(Number(box[2]) - 225) < 0.5, `MediaBox ${box?.[0]}`);
    // a second figure with the same browser, the layout's size absent: 900 x 520 at scale 1
    const heat = await ex.render(HEAT, 'png', { scale: 1 });
    const hm = await sharp(heat).metadata();
    assert.deepEqual([hm.width, hm.height], [900, 520]);
    assert.deepEqual((await readdir(dir)).sort(), ['bar.pdf', 'bar.png', 'bar.svg']);
  } finally {
    await ex.close();
  }
});

test('figurePngs: one PNG per figure at the layout size and pixel ratio, for notebooks to show without JavaScript', { skip }, async () => {
  const pngs = await figurePngs([BAR, HEAT], { executablePath: CHROMIUM, width: 300, height: 200, scale: 1 });
  assert.equal(pngs.length, 2);
  for (const png of pngs) {
    const m = await sharp(png).metadata();
    assert.deepEqual([m.format, m.width, m.height], ['png', 300, 200]);
  }
});
