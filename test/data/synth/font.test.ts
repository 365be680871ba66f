import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawText, glyph, PLATE_CHARS } from '../../../lib/data/synth/font.ts';
import { Canvas } from '../../../lib/data/synth/raster.ts';

test('every plate character has a distinct 5x7 glyph', () => {
  const seen = new Set<string>();
  for (const ch of PLATE_CHARS) {
    const g = glyph(ch);
    assert.equal(g.length, 35);
    assert.ok(g.some((b) => b === 1));
    seen.add(g.join(''));
  }
  assert.equal(seen.size, PLATE_CHARS.length);
  assert.throws(() => glyph('a'), /no glyph/);
});

test('drawText at one pixel per cell reproduces the bitmap', () => {
  const c = new Canvas(11, 7);
  c.ids(26, 1);
  drawText(c, 'H7', 0, 0, 11, 7);
  const h = glyph('H');
  const seven = glyph('7');
  for (let y = 0; y < 7; y++) {
    for (let x = 0; x < 5; x++) {
      assert.equal(c.obj[y * 11 + x], h[y * 5 + x], `H at ${x},${y}`);
      assert.equal(c.obj[y * 11 + 6 + x], seven[y * 5 + x], `7 at ${x},${y}`);
    }
    assert.equal(c.obj[y * 11 + 5], 0, 'gap column');
  }
});
