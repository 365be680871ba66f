// The re-render generator's licence plates (kind 'plate'): a NEW plate painted over the
// inpainted crop, filling the box of the region mask, by the synthetic dataset's own plate
// painting (lib/data/synth/plate.ts), with random characters and colour drawn as the dataset
// draws them (vehicle.ts randomPlate; white four times in five, else yellow). Since the synthetic
// plates are painted this way, this is the upper bound of realism for them, as the person
// re-render is for persons. The latent (4 values) only seeds the text and colour.
import { Rng } from '../../data/rng.ts';
import { paintPlate, PLATE_WHITE, PLATE_YELLOW } from '../../data/synth/plate.ts';
import type { Canvas } from '../../data/synth/raster.ts';
import type { RGB } from '../../data/synth/style.ts';
import { randomPlate } from '../../data/synth/vehicle.ts';
import { maskBox } from '../region-mask.ts';

/** Default crop size [height, width] of the plate re-render: about a plate's aspect (520 x 110 mm). */
export const PLATE_RERENDER_SIZE: [number, number] = [32, 128];

export interface NewPlate {
  text: string;
  color: RGB;
}

/** A reproducible plate from a latent of 4 values (their float32 bit patterns are the key). */
export function plateFromLatent(w: Float32Array, offset = 0): NewPlate {
  const bits = new Uint32Array(Float32Array.from(w.subarray(offset, offset + 4)).buffer);
  const rng = new Rng(`anon-impact-rerender-plate/${Array.from(bits).join('.')}`);
  const text = randomPlate(rng);
  return { text, color: rng.chance(0.8) ? PLATE_WHITE : PLATE_YELLOW };
}

/** Paints the new plate into the box of the mask (W x H bytes, 1 = region); nothing when the mask is empty. */
export function drawNewPlate(c: Canvas, mask: Uint8Array, W: number, H: number, plate: NewPlate): void {
  const b = maskBox(mask, W, H);
  if (!b) return;
  paintPlate(c, b.x0, b.y0, b.x1, b.y1, plate.text, plate.color);
}
