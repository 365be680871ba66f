// For the synthetic dataset: a generator that draws a NEW person in the SAME pose. The region is
// first filled from its surroundings (Telea inpainting of the context, lib/anonymize/inpaint.ts,
// which never reads the region), then a person with a fresh appearance (skin, hair, clothes and
// their patterns: lib/data/synth/style.ts randomPersonStyle) is painted with the synthetic
// dataset's rasterizer (lib/data/synth/raster.ts, person.ts garmentInk) on the crop's keypoints:
// legs, torso, arms and head as capsules, polygons and ellipses with the synthetic persons'
// proportions, the face (skin, eyes, mouth) when the nose is visible and the back of the head
// otherwise. A person without enough keypoints (no shoulder and no hip) is drawn as a silhouette
// filling the region: top garment over the upper part, bottom garment below, a head on top.
// Faces (kind 'face') are drawn as a new face filling the face box; licence plates (kind 'plate')
// as a new plate of random characters filling the plate box (rerender-plate.ts).
// Since the synthetic persons are drawn this way, this is the upper bound of realism for them.
// The latent only seeds the appearance (kind 'seed', 4 values hashed into the generator's key).
import type { Image } from '../../data/image.ts';
import { garmentInk } from '../../data/synth/person.ts';
import { Canvas } from '../../data/synth/raster.ts';
import { Rng } from '../../data/rng.ts';
import { randomPersonStyle, scaleRgb, type PersonStyle, type RGB } from '../../data/synth/style.ts';
import type { PersonRegionKind, RegionKind } from '../../regions/region.ts';
import { inpaint } from '../inpaint.ts';
import { checkGeneratorCall, type Generator, type GeneratorInput } from './generator.ts';
import { drawNewPlate, plateFromLatent, PLATE_RERENDER_SIZE } from './rerender-plate.ts';

export const RERENDER_LATENT_DIM = 4;

/** A reproducible appearance from a latent (its float32 bit patterns are the key). */
export function styleFromLatent(w: Float32Array, offset = 0): PersonStyle {
  const bits = new Uint32Array(Float32Array.from(w.subarray(offset, offset + RERENDER_LATENT_DIM)).buffer);
  return randomPersonStyle(new Rng(`anon-impact-rerender/${Array.from(bits).join('.')}`));
}

type P = [number, number];
const vis = (kp: Float32Array, k: number): P | null => (kp[3 * k + 2]! > 0 ? [kp[3 * k]!, kp[3 * k + 1]!] : null);
const mid = (a: P, b: P): P => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
const dist = (a: P, b: P) => Math.hypot(a[0] - b[0], a[1] - b[1]);

function solid(c: Canvas, col: RGB, shade = 1): void {
  c.color(col[0] * shade, col[1] * shade, col[2] * shade);
}

function maskBox(mask: Uint8Array, W: number, H: number): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = W;
  let y0 = H;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (mask[y * W + x]) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

function drawHead(c: Canvas, st: PersonStyle, hx: number, hy: number, rx: number, ry: number, facing: boolean, eyes: (P | null)[]): void {
  solid(c, st.hairStyle === 'bald' ? st.skin : st.hair, st.hairStyle === 'bald' ? 0.93 : 1);
  c.fillEllipse(hx, hy, rx, ry);
  if (st.hairStyle === 'cap') {
    solid(c, st.cap);
    c.fillEllipse(hx, hy - 0.5 * ry, rx * 1.05, ry * 0.58);
  }
  if (!facing) return;
  solid(c, st.skin);
  c.fillEllipse(hx, hy + 0.22 * ry, rx * 0.86, ry * 0.78);
  if (st.hairStyle !== 'bald' && st.hairStyle !== 'cap' && rx >= 2) {
    solid(c, st.hair);
    c.fillEllipse(hx, hy - 0.62 * ry, rx * 0.85, ry * 0.3);
  }
  if (rx >= 1.5) {
    const ex: P[] = eyes.filter((e): e is P => e !== null);
    const spots: P[] = ex.length > 0 ? ex : [[hx - 0.38 * rx, hy], [hx + 0.38 * rx, hy]];
    c.color(40, 30, 28);
    for (const [x, y] of spots) c.fillEllipse(x, y, Math.max(0.45, rx * 0.13), Math.max(0.45, ry * 0.07));
    c.color(150, 60, 60);
    c.fillEllipse(hx, hy + 0.58 * ry, Math.max(0.45, rx * 0.3), Math.max(0.4, ry * 0.05));
  }
}

/** Paints a new person on `c` from crop keypoints (pixels); false when there are too few keypoints. */
function drawFromKeypoints(c: Canvas, st: PersonStyle, kp: Float32Array, bodyHeight: number): boolean {
  const sh = [vis(kp, 5), vis(kp, 6)];
  const hp = [vis(kp, 11), vis(kp, 12)];
  const head = [0, 1, 2, 3, 4].map((k) => vis(kp, k));
  const shMid = sh[0] && sh[1] ? mid(sh[0], sh[1]) : (sh[0] ?? sh[1]);
  const hipMid = hp[0] && hp[1] ? mid(hp[0], hp[1]) : (hp[0] ?? hp[1]);
  if (!shMid && !hipMid) return false;
  // pixels per metre from the torso (shoulder to hip: 0.5 m of a 1.75 m person), else the region's height
  const s = shMid && hipMid && dist(shMid, hipMid) > 1 ? dist(shMid, hipMid) / 0.5 : bodyHeight / 1.75;
  const R = (m: number) => Math.max(0.55, m * s);
  const [ax, ay] = shMid ?? hipMid!;
  // legs
  for (const side of [0, 1]) {
    const hip = hp[side];
    const knee = vis(kp, 13 + side);
    const ankle = vis(kp, 15 + side);
    if (hip && knee) {
      if (st.legwear === 'skirt') solid(c, st.skin, 0.95);
      else garmentInk(c, st.bottom, s, ax, ay, 1);
      c.fillCapsule(hip[0], hip[1], R(0.085), knee[0], knee[1], R(0.06));
    }
    if (knee && ankle) {
      if (st.legwear === 'trousers') garmentInk(c, st.bottom, s, ax, ay, 1);
      else solid(c, st.skin, 0.95);
      c.fillCapsule(knee[0], knee[1], R(0.058), ankle[0], ankle[1], R(0.04));
      solid(c, st.shoes);
      c.fillEllipse(ankle[0], ankle[1] + R(0.02), R(0.06), R(0.035));
    }
  }
  // torso
  if (shMid && hipMid) {
    let dx = hipMid[0] - shMid[0];
    let dy = hipMid[1] - shMid[1];
    const L = Math.hypot(dx, dy) || 1;
    dx /= L;
    dy /= L;
    const nx = -dy;
    const ny = dx;
    const half = (pair: (P | null)[], w: number) => Math.max(pair[0] && pair[1] ? dist(pair[0], pair[1]) / 2 + R(0.03) : 0, R(w));
    const wS = half(sh, 0.2);
    const wH = half(hp, 0.16);
    const waist: P = [shMid[0] + (hipMid[0] - shMid[0]) * 0.62, shMid[1] + (hipMid[1] - shMid[1]) * 0.62];
    const wW = (wS * 0.82 + wH) / 2;
    garmentInk(c, st.top, s, ax, ay, 1);
    c.fillPolygon([shMid[0] + nx * wS, shMid[1] + ny * wS, waist[0] + nx * wW, waist[1] + ny * wW, waist[0] - nx * wW, waist[1] - ny * wW, shMid[0] - nx * wS, shMid[1] - ny * wS]);
    garmentInk(c, st.bottom, s, ax, ay, 1);
    c.fillPolygon([waist[0] + nx * wW, waist[1] + ny * wW, hipMid[0] + nx * wH, hipMid[1] + ny * wH, hipMid[0] - nx * wH, hipMid[1] - ny * wH, waist[0] - nx * wW, waist[1] - ny * wW]);
  } else if (shMid) {
    garmentInk(c, st.top, s, ax, ay, 1);
    c.fillEllipse(shMid[0], shMid[1] + R(0.2), R(0.2), R(0.25));
  }
  // arms
  for (const side of [0, 1]) {
    const shp = sh[side];
    const el = vis(kp, 7 + side);
    const wr = vis(kp, 9 + side);
    if (shp && el) {
      garmentInk(c, st.top, s, ax, ay, 0.92);
      c.fillCapsule(shp[0], shp[1], R(0.052), el[0], el[1], R(0.042));
    }
    if (el && wr) {
      if (st.longSleeves) garmentInk(c, st.top, s, ax, ay, 0.92);
      else solid(c, st.skin);
      c.fillCapsule(el[0], el[1], R(0.04), wr[0], wr[1], R(0.03));
      solid(c, st.skin, 0.97);
      c.fillEllipse(wr[0] + (wr[0] - el[0]) * 0.25, wr[1] + (wr[1] - el[1]) * 0.25, R(0.035), R(0.035));
    }
  }
  // head: on the facial keypoints, or above the shoulders
  const hpts = head.filter((p): p is P => p !== null);
  let hx: number;
  let hy: number;
  if (hpts.length > 0) {
    hx = hpts.reduce((a, p) => a + p[0], 0) / hpts.length;
    hy = hpts.reduce((a, p) => a + p[1], 0) / hpts.length;
  } else if (shMid) {
    hx = shMid[0];
    hy = shMid[1] - 0.22 * s;
  } else return true;
  if (shMid) {
    solid(c, st.skin, 0.92);
    c.fillCapsule(shMid[0], shMid[1], R(0.055), hx, hy + 0.06 * s, R(0.05));
  }
  drawHead(c, st, hx, hy, R(0.078), R(0.115), head[0] !== null, [head[1]!, head[2]!]);
  return true;
}

/** A silhouette person filling the box of the mask. */
function drawSilhouette(c: Canvas, st: PersonStyle, mask: Uint8Array, W: number, H: number): void {
  const b = maskBox(mask, W, H);
  if (!b) return;
  const h = b.y1 - b.y0;
  const s = h / 1.75;
  const cx = (b.x0 + b.x1) / 2;
  const headH = h * 0.13;
  const splitY = b.y0 + h * 0.5;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      if (!mask[y * W + x] || y < b.y0 + headH) continue;
      if (y < splitY) garmentInk(c, st.top, s, cx, b.y0, 1);
      else garmentInk(c, st.bottom, s, cx, b.y0, 1);
      c.fillRect(x, y, x + 1, y + 1);
    }
  }
  drawHead(c, st, cx, b.y0 + headH * 0.55, Math.min((b.x1 - b.x0) * 0.35, headH * 0.6), headH * 0.6, true, [null, null]);
}

/** A new face filling the face box (the mask's box). */
function drawFace(c: Canvas, st: PersonStyle, mask: Uint8Array, W: number, H: number, kp?: Float32Array): void {
  const b = maskBox(mask, W, H);
  if (!b) return;
  const rx = (b.x1 - b.x0) / 2;
  const ry = (b.y1 - b.y0) / 2;
  const hx = (b.x0 + b.x1) / 2;
  const hy = (b.y0 + b.y1) / 2;
  solid(c, st.hairStyle === 'bald' ? scaleRgb(st.skin, 0.93) : st.hair);
  c.fillRect(b.x0, b.y0, b.x1, b.y0 + ry * 0.5);
  const eyes = kp ? [vis(kp, 1), vis(kp, 2)] : [null, null];
  drawHead(c, st, hx, hy, rx, ry, true, eyes);
}

/** A new face filling the face box, or a new person in the pose (a silhouette without enough keypoints). */
function drawPerson(kind: PersonRegionKind, c: Canvas, inp: GeneratorInput, st: PersonStyle, W: number, H: number): void {
  if (kind === 'face') return drawFace(c, st, inp.mask, W, H, inp.keypoints);
  const b = maskBox(inp.mask, W, H);
  const drawn = inp.keypoints ? drawFromKeypoints(c, st, inp.keypoints, b ? b.y1 - b.y0 : H) : false;
  if (!drawn) drawSilhouette(c, st, inp.mask, W, H);
}

/** One crop: the region inpainted from its context, then a new face, person or plate from latent `w` at `offset`. */
function render(kind: RegionKind, inp: GeneratorInput, w: Float32Array, offset: number, W: number, H: number): Float32Array {
  const base: Image = { width: W, height: H, channels: 3, data: inp.image };
  const filled = inp.mask.some((v) => v !== 0) && inp.mask.some((v) => v === 0) ? inpaint(base, inp.mask) : base;
  const c = new Canvas(W, H);
  c.rgb.set(filled.data);
  if (kind === 'plate') drawNewPlate(c, inp.mask, W, H, plateFromLatent(w, offset));
  else drawPerson(kind, c, inp, styleFromLatent(w, offset), W, H);
  return Float32Array.from(c.rgb, (v) => v / 255);
}

export interface RerenderOptions {
  kind: RegionKind;
  /** Crop size [height, width] (default: face 128x128, body 288x160, DP2's; plate 32x128). */
  size?: [number, number];
}

export function rerenderGenerator(o: RerenderOptions): Generator {
  const [H, W] = o.size ?? (o.kind === 'face' ? [128, 128] : o.kind === 'plate' ? PLATE_RERENDER_SIZE : [288, 160]);
  const g: Generator = {
    name: `rerender:${o.kind}`,
    kind: o.kind,
    width: W,
    height: H,
    usesKeypoints: true,
    latent: { kind: 'seed', zDim: RERENDER_LATENT_DIM, wDim: RERENDER_LATENT_DIM, map: (z) => z.slice() },
    async generate(inputs, w) {
      checkGeneratorCall(g, inputs, w);
      return inputs.map((inp, i) => render(o.kind, inp, w, i * RERENDER_LATENT_DIM, W, H));
    },
    dispose() {},
  };
  return g;
}
