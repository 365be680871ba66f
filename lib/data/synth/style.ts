// Appearance of people: skin tones, hair, clothing colours and textures, drawn at random.
import type { Rng } from './rng.ts';

export type RGB = [number, number, number];

export type GarmentPattern = 'solid' | 'stripes' | 'checks' | 'vstripes';

export interface Garment {
  color: RGB;
  color2: RGB;
  pattern: GarmentPattern;
  /** Pattern period in metres. */
  period: number;
}

export type HairStyle = 'short' | 'long' | 'bald' | 'cap';

export interface PersonStyle {
  skin: RGB;
  hair: RGB;
  hairStyle: HairStyle;
  cap: RGB;
  top: Garment;
  /** Long sleeves cover the forearms. */
  longSleeves: boolean;
  /** An open jacket shows a strip of `inner` down the front. */
  openJacket: boolean;
  inner: RGB;
  bottom: Garment;
  legwear: 'trousers' | 'shorts' | 'skirt';
  shoes: RGB;
  backpack: boolean;
  bag: RGB;
}

const SKIN: RGB[] = [
  [255, 224, 196],
  [241, 194, 160],
  [224, 172, 130],
  [198, 134, 96],
  [161, 102, 64],
  [120, 74, 46],
  [88, 54, 36],
  [236, 188, 150],
];

const HAIR: RGB[] = [
  [20, 16, 14],
  [44, 30, 22],
  [78, 52, 34],
  [120, 84, 50],
  [186, 150, 96],
  [222, 196, 140],
  [150, 146, 140],
  [214, 212, 206],
  [140, 62, 30],
];

// Clothing colours, dark and muted ones more common (as in street scenes).
const CLOTH: RGB[] = [
  [24, 24, 28],
  [40, 40, 46],
  [30, 36, 64],
  [60, 64, 72],
  [110, 112, 118],
  [160, 160, 164],
  [226, 226, 222],
  [90, 64, 44],
  [150, 120, 86],
  [196, 176, 140],
  [52, 74, 48],
  [96, 110, 70],
  [150, 30, 36],
  [196, 60, 50],
  [40, 84, 160],
  [70, 130, 190],
  [220, 180, 40],
  [230, 120, 40],
  [120, 60, 120],
  [220, 120, 150],
];
const CLOTH_W = [6, 5, 5, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1.5, 2, 1.5, 1, 1, 1, 1];

export function pickCloth(rng: Rng): RGB {
  return jitter(rng, CLOTH[rng.weighted(CLOTH_W)], 12);
}

export function jitter(rng: Rng, c: RGB, amount: number): RGB {
  const d = rng.uniform(-amount, amount);
  return [clamp(c[0] + d + rng.uniform(-amount, amount) / 3), clamp(c[1] + d + rng.uniform(-amount, amount) / 3), clamp(c[2] + d + rng.uniform(-amount, amount) / 3)];
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

function garment(rng: Rng, weights: [number, number, number, number]): Garment {
  const color = pickCloth(rng);
  let color2 = pickCloth(rng);
  // make sure the pattern is visible: push the second colour away in brightness when too close
  const lum = (c: RGB) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  if (Math.abs(lum(color) - lum(color2)) < 40) color2 = lum(color) > 128 ? scaleRgb(color2, 0.45) : mixRgb(color2, [255, 255, 255], 0.55);
  const pattern = (['solid', 'stripes', 'checks', 'vstripes'] as const)[rng.weighted(weights)];
  return { color, color2, pattern, period: rng.uniform(0.035, 0.1) };
}

export function scaleRgb(c: RGB, k: number): RGB {
  return [clamp(c[0] * k), clamp(c[1] * k), clamp(c[2] * k)];
}

export function mixRgb(a: RGB, b: RGB, t: number): RGB {
  return [clamp(a[0] + (b[0] - a[0]) * t), clamp(a[1] + (b[1] - a[1]) * t), clamp(a[2] + (b[2] - a[2]) * t)];
}

export function randomPersonStyle(rng: Rng): PersonStyle {
  const hairStyle = (['short', 'long', 'bald', 'cap'] as const)[rng.weighted([5, 3, 0.7, 1.3])];
  const legwear = (['trousers', 'shorts', 'skirt'] as const)[rng.weighted([7, 1.5, 1.5])];
  return {
    skin: jitter(rng, rng.pick(SKIN), 8),
    hair: jitter(rng, rng.pick(HAIR), 8),
    hairStyle,
    cap: pickCloth(rng),
    top: garment(rng, [5, 2.5, 1.5, 0.6]),
    longSleeves: rng.chance(0.7),
    openJacket: rng.chance(0.25),
    inner: pickCloth(rng),
    bottom: garment(rng, [8, 0.2, 0.8, 0.6]),
    legwear,
    shoes: jitter(rng, rng.pick<RGB>([[20, 20, 20], [60, 40, 30], [230, 230, 230], [90, 90, 96], [120, 30, 30]]), 10),
    backpack: rng.chance(0.2),
    bag: pickCloth(rng),
  };
}
