// A built-in 5x7 bitmap font (digits, capital letters, dash, space) for licence plates.
import type { Canvas } from './raster.ts';

// Each glyph: 7 rows of 5 columns, '#' = ink.
const GLYPHS: Record<string, string> = {
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '###.. #..#. #...# #...# #...# #..#. ###..',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '-': '..... ..... ..... ##### ..... ..... .....',
  ' ': '..... ..... ..... ..... ..... ..... .....',
};

export const GLYPH_W = 5;
export const GLYPH_H = 7;

const bitmaps = new Map<string, Uint8Array>();
for (const [ch, rows] of Object.entries(GLYPHS)) {
  const bits = rows.replace(/ /g, '');
  if (bits.length !== GLYPH_W * GLYPH_H) throw new Error(`font: glyph '${ch}' has ${bits.length} cells`);
  bitmaps.set(ch, Uint8Array.from(bits, (c) => (c === '#' ? 1 : 0)));
}

/** Characters a plate may use. */
export const PLATE_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** The 5x7 bitmap of a character (row-major, 1 = ink); unknown characters throw. */
export function glyph(ch: string): Uint8Array {
  const g = bitmaps.get(ch);
  if (!g) throw new RangeError(`font: no glyph for '${ch}'`);
  return g;
}

/**
 * Draws `text` with the canvas's current ink into the box (x, y, w, h): each character takes
 * 6 cells (5 + 1 gap) of a grid of (6n - 1) x 7 cells spanning the box.
 */
export function drawText(canvas: Canvas, text: string, x: number, y: number, w: number, h: number): void {
  const n = text.length;
  if (n === 0) return;
  const cw = w / (6 * n - 1);
  const ch = h / GLYPH_H;
  for (let k = 0; k < n; k++) {
    const g = glyph(text[k]);
    const gx = x + 6 * k * cw;
    for (let r = 0; r < GLYPH_H; r++) {
      // merge horizontal runs into one rectangle
      let c = 0;
      while (c < GLYPH_W) {
        if (!g[r * GLYPH_W + c]) {
          c++;
          continue;
        }
        const c0 = c;
        while (c < GLYPH_W && g[r * GLYPH_W + c]) c++;
        canvas.fillRect(gx + c0 * cw, y + r * ch, gx + c * cw, y + (r + 1) * ch);
      }
    }
  }
}
