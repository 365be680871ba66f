// Cars as projected boxes with a cabin: body sides, bonnet/boot lid, glass, wheels, lights,
// and a licence plate of random characters drawn with the built-in bitmap font (plate.ts). Everything
// of a car (plate included) carries the car's label and instance, as Cityscapes labels it; the
// plate is painted in a draw group of its own, from which its annotated box is found (plate-boxes.ts).
import { projectX, projectY, type Camera } from './camera.ts';
import { PLATE_CHARS } from './font.ts';
import { paintPlate, PLATE_WHITE, PLATE_YELLOW } from './plate.ts';
import type { Canvas } from './raster.ts';
import type { Rng } from './rng.ts';
import { jitter, mixRgb, scaleRgb, type RGB } from './style.ts';

export interface CarSpec {
  /** Centre line (m). */
  X: number;
  /** Distance of the car's near end (m). */
  Z: number;
  length: number;
  width: number;
  /** Height of the body's top edge (bonnet/boot lid). */
  body: number;
  /** Roof height. */
  roof: number;
  clearance: number;
  wheelR: number;
  color: RGB;
  glass: RGB;
  /** 'away': we see the rear; 'toward': we see the front. */
  facing: 'away' | 'toward';
  plate: string;
  plateColor: RGB;
}

const CAR_COLORS: RGB[] = [
  [230, 230, 228],
  [20, 20, 22],
  [168, 170, 174],
  [96, 98, 104],
  [150, 24, 28],
  [28, 48, 110],
  [60, 90, 150],
  [30, 70, 50],
  [200, 160, 40],
  [110, 80, 60],
  [190, 190, 180],
];
const CAR_W = [4, 4, 4, 3, 1.5, 1.5, 1, 0.8, 0.4, 0.6, 1];

/** Random plate text: 5 to 8 characters with an optional separator. */
export function randomPlate(rng: Rng): string {
  const n = rng.int(5, 8);
  let s = '';
  for (let i = 0; i < n; i++) s += PLATE_CHARS[rng.int(0, PLATE_CHARS.length - 1)];
  if (rng.chance(0.6) && n >= 6) {
    const cut = rng.int(1, 3);
    s = s.slice(0, cut) + (rng.chance(0.5) ? '-' : ' ') + s.slice(cut);
  }
  return s;
}

export function randomCar(rng: Rng, X: number, Z: number, facing: 'away' | 'toward'): CarSpec {
  const kind = rng.weighted([5, 2, 1.5]); // hatch/sedan, estate, small van
  const length = kind === 0 ? rng.uniform(3.9, 4.7) : kind === 1 ? rng.uniform(4.5, 5.0) : rng.uniform(4.4, 5.2);
  const roof = kind === 2 ? rng.uniform(1.75, 1.95) : rng.uniform(1.4, 1.55);
  return {
    X,
    Z,
    length,
    width: rng.uniform(1.7, 1.9),
    body: kind === 2 ? rng.uniform(1.0, 1.1) : rng.uniform(0.85, 0.98),
    roof,
    clearance: rng.uniform(0.15, 0.22),
    wheelR: rng.uniform(0.3, 0.34),
    color: jitter(rng, CAR_COLORS[rng.weighted(CAR_W)], 10),
    glass: jitter(rng, [44, 54, 64], 10),
    facing,
    plate: randomPlate(rng),
    plateColor: rng.chance(0.8) ? PLATE_WHITE : PLATE_YELLOW,
  };
}

/**
 * Draws a car (label and object ids given) after darkening its ground shadow; returns the draw
 * group of its licence plate (Canvas.seq), 0 when the plate is too small to be drawn.
 */
export function drawCar(c: Canvas, cam: Camera, car: CarSpec, labelId: number, objId: number): number {
  const near = 0.3;
  const z0 = Math.max(car.Z, near);
  const z1 = car.Z + car.length;
  const x0 = car.X - car.width / 2;
  const x1 = car.X + car.width / 2;
  const away = car.facing === 'away';
  const zc0 = z0 + (away ? 0.75 : 1.1) * (car.length / 4.4);
  const zc1 = z1 - (away ? 1.1 : 0.75) * (car.length / 4.4);
  const zr0 = zc0 + (away ? 0.35 : 0.55);
  const zr1 = zc1 - (away ? 0.5 : 0.3);
  const P = (X: number, Y: number, Z: number, out: number[]) => out.push(projectX(cam, X, Z), projectY(cam, Y, Z));
  const quad = (pts: [number, number, number][]) => {
    const out: number[] = [];
    for (const [X, Y, Z] of pts) P(X, Y, Z, out);
    c.fillPolygon(out);
  };
  const col = car.color;
  const paint = (k: number) => {
    const q = scaleRgb(col, k);
    c.color(q[0], q[1], q[2]);
  };
  const glass = (k: number, yTop: number, yBot: number) => {
    const g = scaleRgb(car.glass, k);
    const hi = mixRgb(g, [150, 160, 170], 0.35);
    c.color(hi[0], hi[1], hi[2]).gradient(g[0], g[1], g[2], yTop, yBot);
  };

  // ground shadow (keeps the road's labels)
  c.darken(0.55);
  quad([
    [x0 - 0.1, 0, z0 - 0.15],
    [x1 + 0.1, 0, z0 - 0.15],
    [x1 + 0.1, 0, z1 + 0.3],
    [x0 - 0.1, 0, z1 + 0.3],
  ]);
  c.ids(labelId, objId);

  // tyres seen below the near end
  c.color(22, 22, 24);
  const tw = 0.24;
  for (const xa of [x0 + 0.08, x1 - 0.08 - tw]) {
    quad([
      [xa, 0, z0 + 0.7],
      [xa + tw, 0, z0 + 0.7],
      [xa + tw, car.clearance + 0.1, z0 + 0.7],
      [xa, car.clearance + 0.1, z0 + 0.7],
    ]);
  }

  // the side that faces the camera's axis
  const side = x0 > 0.2 ? x0 : x1 < -0.2 ? x1 : NaN;
  if (side === side) {
    paint(0.78);
    quad([
      [side, car.clearance, z0],
      [side, car.body, z0],
      [side, car.body, z1],
      [side, car.clearance, z1],
    ]);
    // side glass with a pillar
    const inset = side > 0 ? 0.06 : -0.06;
    const sx = side + inset;
    const yT = projectY(cam, car.roof, zr0);
    const yB = projectY(cam, car.body, zc0);
    glass(0.9, yT, yB);
    quad([
      [sx, car.body + 0.02, zc0],
      [sx, car.roof - 0.04, zr0],
      [sx, car.roof - 0.04, zr1],
      [sx, car.body + 0.02, zc1],
    ]);
    paint(0.7);
    const zp = (zr0 + zr1) / 2;
    quad([
      [sx, car.body, zp - 0.05],
      [sx, car.roof, zp - 0.05],
      [sx, car.roof, zp + 0.05],
      [sx, car.body, zp + 0.05],
    ]);
    // wheels: ellipses in the side plane
    for (const zw of [z1 - 0.8 * (car.length / 4.4), z0 + 0.8 * (car.length / 4.4)]) {
      if (zw <= near) continue;
      const cx = projectX(cam, side, zw);
      const cyw = projectY(cam, car.wheelR, zw);
      const ry = (cam.f * car.wheelR) / zw;
      const rx = Math.max(0.5, (cam.f * Math.abs(side) * car.wheelR) / (zw * zw));
      c.color(20, 20, 22);
      c.fillEllipse(cx, cyw, rx, ry);
      c.color(150, 152, 156);
      c.fillEllipse(cx, cyw, rx * 0.55, ry * 0.55);
    }
  }

  // bonnet / boot lid on top of the body, near part
  paint(1.05);
  quad([
    [x0, car.body, z0],
    [x1, car.body, z0],
    [x1, car.body, zc0],
    [x0, car.body, zc0],
  ]);
  // roof when the camera is above it
  if (car.roof < cam.camHeight) {
    paint(1.1);
    quad([
      [x0 + 0.12, car.roof, zr0],
      [x1 - 0.12, car.roof, zr0],
      [x1 - 0.12, car.roof, zr1],
      [x0 + 0.12, car.roof, zr1],
    ]);
  }
  // cabin's near face: frame, then windscreen or rear window
  paint(0.95);
  quad([
    [x0 + 0.06, car.body, zc0],
    [x1 - 0.06, car.body, zc0],
    [x1 - 0.12, car.roof, zr0],
    [x0 + 0.12, car.roof, zr0],
  ]);
  glass(1, projectY(cam, car.roof, zr0), projectY(cam, car.body, zc0));
  quad([
    [x0 + 0.14, car.body + 0.04, zc0 + 0.02],
    [x1 - 0.14, car.body + 0.04, zc0 + 0.02],
    [x1 - 0.18, car.roof - 0.06, zr0 - 0.02],
    [x0 + 0.18, car.roof - 0.06, zr0 - 0.02],
  ]);

  // near end
  paint(0.9);
  quad([
    [x0, car.clearance, z0],
    [x1, car.clearance, z0],
    [x1, car.body, z0],
    [x0, car.body, z0],
  ]);
  c.color(30, 30, 32);
  quad([
    [x0, car.clearance, z0],
    [x1, car.clearance, z0],
    [x1, car.clearance + 0.12, z0],
    [x0, car.clearance + 0.12, z0],
  ]);
  const lampY0 = away ? car.body - 0.2 : car.body - 0.28;
  const lampY1 = away ? car.body - 0.06 : car.body - 0.14;
  if (away) c.color(190, 24, 20);
  else c.color(232, 232, 214);
  for (const xa of [x0 + 0.06, x1 - 0.36]) {
    quad([
      [xa, lampY0, z0 - 0.01],
      [xa + 0.3, lampY0, z0 - 0.01],
      [xa + 0.3, lampY1, z0 - 0.01],
      [xa, lampY1, z0 - 0.01],
    ]);
  }
  if (!away) {
    c.color(36, 36, 40);
    quad([
      [car.X - 0.4, lampY0 - 0.05, z0 - 0.01],
      [car.X + 0.4, lampY0 - 0.05, z0 - 0.01],
      [car.X + 0.4, lampY1, z0 - 0.01],
      [car.X - 0.4, lampY1, z0 - 0.01],
    ]);
  }
  return drawPlate(c, cam, car, z0 - 0.02);
}

/** Paints the plate in its own draw group (so that its visible pixels can be found); returns the group, 0 when too small to draw. */
function drawPlate(c: Canvas, cam: Camera, car: CarSpec, z: number): number {
  const yBot = car.clearance + 0.16;
  const yTop = yBot + 0.11;
  const px0 = projectX(cam, car.X - 0.26, z);
  const px1 = projectX(cam, car.X + 0.26, z);
  const py0 = projectY(cam, yTop, z);
  const py1 = projectY(cam, yBot, z);
  if (px1 - px0 < 1) return 0;
  const group = c.group();
  paintPlate(c, px0, py0, px1, py1, car.plate, car.plateColor);
  return group;
}
