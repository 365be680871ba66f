// Street furniture and trees: poles (street lamps, sign posts, traffic lights) and trees.
// All are Cityscapes 'stuff' (no instances): pole 17, traffic sign 20, traffic light 19,
// vegetation 21 (tree trunks included, as Cityscapes labels them).
import { projectX, projectY, scaleAt, type Camera } from './camera.ts';
import type { Canvas } from './raster.ts';
import type { Rng } from './rng.ts';
import { jitter, type RGB } from './style.ts';
import { LABEL } from './labels.ts';

export interface PoleSpec {
  X: number;
  Z: number;
  height: number;
  kind: 'lamp' | 'sign' | 'light';
  /** Lamp arm direction: +1 towards +X, -1 towards -X. */
  armDir: number;
  sign: 'round' | 'triangle' | 'square' | 'rect';
  signColor: RGB;
  color: RGB;
}

export interface TreeSpec {
  X: number;
  Z: number;
  trunk: number;
  crownR: number;
  green: RGB;
  blobs: { dx: number; dy: number; r: number; k: number }[];
}

export function randomPole(rng: Rng, X: number, Z: number): PoleSpec {
  const kind = (['lamp', 'sign', 'light'] as const)[rng.weighted([4, 3, 1.2])];
  const height = kind === 'lamp' ? rng.uniform(5, 8.5) : kind === 'sign' ? rng.uniform(2.6, 3.4) : rng.uniform(3.2, 4.2);
  return {
    X,
    Z,
    height,
    kind,
    armDir: X > 0 ? -1 : 1,
    sign: rng.pick(['round', 'triangle', 'square', 'rect'] as const),
    signColor: rng.pick<RGB>([
      [200, 30, 30],
      [30, 80, 170],
      [230, 200, 30],
      [240, 240, 240],
    ]),
    color: jitter(rng, rng.pick<RGB>([[90, 92, 96], [60, 64, 60], [130, 132, 134]]), 8),
  };
}

export function randomTree(rng: Rng, X: number, Z: number): TreeSpec {
  const crownR = rng.uniform(1.4, 3.0);
  const blobs = [];
  const n = rng.int(4, 8);
  for (let i = 0; i < n; i++) blobs.push({ dx: rng.uniform(-0.6, 0.6), dy: rng.uniform(-0.5, 0.6), r: rng.uniform(0.45, 0.7), k: rng.uniform(0.75, 1.15) });
  return { X, Z, trunk: rng.uniform(1.8, 3.2), crownR, green: jitter(rng, rng.pick<RGB>([[70, 100, 40], [56, 86, 44], [90, 118, 50], [48, 72, 36]]), 10), blobs };
}

export function drawPole(c: Canvas, cam: Camera, p: PoleSpec): void {
  const s = scaleAt(cam, p.Z);
  const x = projectX(cam, p.X, p.Z);
  const yb = projectY(cam, 0, p.Z);
  const yt = projectY(cam, p.height, p.Z);
  const w = Math.max(0.6, (p.kind === 'lamp' ? 0.16 : 0.09) * s);
  c.ids(LABEL.pole, 0);
  c.color(p.color[0], p.color[1], p.color[2]);
  c.fillRect(x - w / 2, yt, x + w / 2, yb);
  if (p.kind === 'lamp') {
    const ax = x + p.armDir * 1.6 * s;
    c.line(x, yt + 0.05 * s, ax, yt + 0.05 * s, Math.max(0.6, 0.07 * s));
    c.color(210, 210, 190);
    c.fillEllipse(ax, yt + 0.15 * s, Math.max(0.6, 0.3 * s), Math.max(0.5, 0.1 * s));
  } else if (p.kind === 'sign') {
    c.ids(LABEL.trafficSign, 0);
    const r = Math.max(0.8, 0.35 * s);
    const cy = yt + r;
    const col = p.signColor;
    c.color(col[0], col[1], col[2]);
    if (p.sign === 'round') {
      c.fillEllipse(x, cy, r, r);
      if (r > 3) {
        c.color(240, 240, 240);
        c.fillEllipse(x, cy, r * 0.7, r * 0.7);
        c.color(20, 20, 20);
        c.fillRect(x - r * 0.35, cy - r * 0.3, x + r * 0.35, cy + r * 0.3);
      }
    } else if (p.sign === 'triangle') {
      c.fillPolygon([x, cy - r, x + r, cy + r * 0.75, x - r, cy + r * 0.75]);
      if (r > 3) {
        c.color(240, 240, 240);
        c.fillPolygon([x, cy - r * 0.45, x + r * 0.55, cy + r * 0.5, x - r * 0.55, cy + r * 0.5]);
      }
    } else if (p.sign === 'square') {
      c.fillRect(x - r, cy - r, x + r, cy + r);
      if (r > 3) {
        c.color(240, 240, 240);
        c.fillRect(x - r * 0.3, cy - r * 0.6, x + r * 0.3, cy + r * 0.6);
      }
    } else {
      c.fillRect(x - r * 1.6, cy - r * 0.6, x + r * 1.6, cy + r * 0.6);
      if (r > 3) {
        c.color(240, 240, 240);
        c.fillRect(x - r * 1.3, cy - r * 0.15, x + r * 1.3, cy + r * 0.15);
      }
    }
  } else {
    c.ids(LABEL.trafficLight, 0);
    const bw = Math.max(0.8, 0.3 * s);
    const bh = Math.max(1.5, 0.9 * s);
    c.color(30, 32, 30);
    c.fillRect(x - bw / 2, yt - bh * 0.1, x + bw / 2, yt + bh);
    if (bw > 3) {
      const lit = Math.floor(Math.abs(p.Z * 7)) % 3;
      const cols: RGB[] = [
        [220, 40, 30],
        [230, 170, 30],
        [40, 200, 80],
      ];
      for (let i = 0; i < 3; i++) {
        const q = i === lit ? cols[i] : [60, 60, 56];
        c.color(q[0], q[1], q[2]);
        c.fillEllipse(x, yt + bh * (0.2 + 0.3 * i), bw * 0.32, bw * 0.32);
      }
    }
  }
}

export function drawTree(c: Canvas, cam: Camera, t: TreeSpec): void {
  const s = scaleAt(cam, t.Z);
  const x = projectX(cam, t.X, t.Z);
  const yb = projectY(cam, 0, t.Z);
  const yt = projectY(cam, t.trunk, t.Z);
  c.ids(LABEL.vegetation, 0);
  c.color(84, 64, 46);
  const w = Math.max(0.7, 0.22 * s);
  c.fillPolygon([x - w * 0.6, yb, x + w * 0.6, yb, x + w * 0.4, yt, x - w * 0.4, yt]);
  const r = t.crownR * s;
  const ccy = yt - r * 0.7;
  for (const b of t.blobs) {
    const g = t.green;
    c.color(g[0] * b.k, g[1] * b.k, g[2] * b.k);
    if (r * b.r > 6) c.grain(26, (b.dx * 1000) | 0);
    c.fillEllipse(x + b.dx * r, ccy + b.dy * r, r * b.r, r * b.r * 0.9);
  }
}
