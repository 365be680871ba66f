// Painting a licence plate into a box: the plate's colour, and where it is wide enough a thin
// dark border and its characters in the built-in bitmap font (font.ts); a few pixels wide, a dark
// bar stands for the characters. The synthetic cars' plates (vehicle.ts) and the re-render
// generator's new plates (lib/anonymize/realistic/rerender-plate.ts) are painted by it.
import { drawText } from './font.ts';
import type { Canvas } from './raster.ts';
import type { RGB } from './style.ts';

/** Plate colours: white (most) and yellow. */
export const PLATE_WHITE: RGB = [236, 236, 230];
export const PLATE_YELLOW: RGB = [236, 200, 40];

/** Paints a plate into [x0, x1) x [y0, y1) (continuous coordinates) with the canvas's current ids. */
export function paintPlate(c: Canvas, x0: number, y0: number, x1: number, y1: number, text: string, color: RGB): void {
  const w = x1 - x0;
  const h = y1 - y0;
  c.color(color[0], color[1], color[2]);
  c.fillRect(x0, y0, x1, y1);
  c.color(20, 20, 24);
  if (w >= 12) {
    // a thin border and the characters
    const b = Math.max(0.6, h * 0.08);
    c.fillRect(x0, y0, x1, y0 + b);
    c.fillRect(x0, y1 - b, x1, y1);
    c.fillRect(x0, y0, x0 + b, y1);
    c.fillRect(x1 - b, y0, x1, y1);
    drawText(c, text, x0 + w * 0.07, y0 + h * 0.18, w * 0.86, h * 0.64);
  } else if (w >= 4) {
    c.fillRect(x0 + w * 0.1, y0 + h * 0.3, x1 - w * 0.1, y1 - h * 0.3);
  }
}
