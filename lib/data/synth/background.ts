// The static street: sky with clouds, a far skyline, road with lane markings and crossings,
// kerbs and sidewalks, and facades (buildings with windows and shop fronts, hedges, walls).
import { projectX, projectY, type Camera } from './camera.ts';
import { LABEL } from './labels.ts';
import type { Canvas } from './raster.ts';
import type { Rng } from './rng.ts';
import type { Facade, Street } from './scene.ts';
import { scaleRgb, type RGB } from './style.ts';

const NEAR = 0.5;

function groundQuad(c: Canvas, cam: Camera, xa: number, xb: number, z0: number, z1: number): void {
  c.fillPolygon([projectX(cam, xa, z0), projectY(cam, 0, z0), projectX(cam, xb, z0), projectY(cam, 0, z0), projectX(cam, xb, z1), projectY(cam, 0, z1), projectX(cam, xa, z1), projectY(cam, 0, z1)]);
}

/** A vertical rectangle in the plane X = const, from z0 to z1 and y0 to y1 (metres). */
function wallQuad(c: Canvas, cam: Camera, X: number, z0: number, z1: number, y0: number, y1: number): void {
  c.fillPolygon([projectX(cam, X, z0), projectY(cam, y0, z0), projectX(cam, X, z0), projectY(cam, y1, z0), projectX(cam, X, z1), projectY(cam, y1, z1), projectX(cam, X, z1), projectY(cam, y0, z1)]);
}

function ink(c: Canvas, col: RGB, k = 1): Canvas {
  return c.color(col[0] * k, col[1] * k, col[2] * k);
}

export function drawBackground(c: Canvas, st: Street, rng: Rng): void {
  const cam = st.cam;
  const { width: w, height: h } = cam;
  const hz = cam.horizon;

  // sky
  c.ids(LABEL.sky, 0);
  ink(c, st.skyTop).gradient(st.skyBottom[0], st.skyBottom[1], st.skyBottom[2], 0, hz);
  c.fillRect(0, 0, w, hz + 2);
  for (const cl of st.clouds) {
    c.color(238, 240, 244);
    c.fillEllipse(cl.x, cl.y, cl.rx, cl.ry);
    c.color(228, 230, 236);
    c.fillEllipse(cl.x + cl.rx * 0.4, cl.y + cl.ry * 0.3, cl.rx * 0.6, cl.ry * 0.8);
  }

  // ground: sidewalk everywhere below the horizon, then the road over it
  c.ids(LABEL.sidewalk, 0);
  ink(c, st.pavement).grain(10, 11);
  c.fillRect(0, hz, w, h);
  const rh = st.roadHalf;
  c.ids(LABEL.road, 0);
  ink(c, st.road).grain(8, 7);
  groundQuad(c, cam, -rh, rh, NEAR, st.zFar);
  // kerbs (sidewalk label)
  c.ids(LABEL.sidewalk, 0);
  ink(c, st.curb);
  groundQuad(c, cam, -rh - 0.22, -rh, NEAR, st.zFar);
  groundQuad(c, cam, rh, rh + 0.22, NEAR, st.zFar);
  // paving joints on near sidewalks
  ink(c, st.pavement, 0.86);
  for (let z = 2; z < 40; z += 1.6) {
    groundQuad(c, cam, -rh - st.sidewalk[0], -rh - 0.22, z, z + 0.05);
    groundQuad(c, cam, rh + 0.22, rh + st.sidewalk[1], z, z + 0.05);
  }

  // lane markings (road label)
  c.ids(LABEL.road, 0);
  c.color(222, 222, 214);
  const laneW = (2 * rh) / st.lanes;
  for (let i = 1; i < st.lanes; i++) {
    const X = -rh + laneW * i;
    const centre = Math.abs(X) < 0.01;
    if (centre && st.centreLine === 'none') continue;
    if (centre && st.centreLine === 'double') {
      groundQuad(c, cam, -0.2, -0.08, NEAR, st.zFar);
      groundQuad(c, cam, 0.08, 0.2, NEAR, st.zFar);
      continue;
    }
    for (let z = 1 + (i % 2) * 3; z < 120; z += 9) groundQuad(c, cam, X - 0.07, X + 0.07, z, z + 3);
  }
  groundQuad(c, cam, -rh + 0.25, -rh + 0.38, NEAR, st.zFar);
  groundQuad(c, cam, rh - 0.38, rh - 0.25, NEAR, st.zFar);
  if (st.crosswalkZ !== null) {
    const z = st.crosswalkZ;
    for (let X = -rh + 0.5; X < rh - 0.5; X += 1.0) groundQuad(c, cam, X, X + 0.5, z, z + 3);
    groundQuad(c, cam, -rh, rh, z - 1.2, z - 0.8);
  }

  // far skyline closing the street
  for (const b of st.skyline) {
    c.ids(b.trees ? LABEL.vegetation : LABEL.building, 0);
    ink(c, b.color);
    const x0 = projectX(cam, b.x0, st.zFar);
    const x1 = projectX(cam, b.x1, st.zFar);
    const y0 = projectY(cam, b.height, st.zFar);
    const y1 = projectY(cam, 0, st.zFar) + 1;
    if (b.trees) {
      const r = (x1 - x0) / 4;
      for (let k = 0; k < 4; k++) c.fillEllipse(x0 + r * (k + 0.5) * 1.0 + r * 0.5, y0 + (y1 - y0) * 0.4, r * 0.8, (y1 - y0) * 0.6);
      c.fillRect(x0, y0 + (y1 - y0) * 0.4, x1, y1);
    } else c.fillRect(x0, y0, x1, y1);
  }

  // facades, far ones first
  const order = [...st.facades].sort((a, b) => b.z0 - a.z0);
  for (const fa of order) drawFacade(c, st, fa, rng);
}

function drawFacade(c: Canvas, st: Street, fa: Facade, rng: Rng): void {
  const cam = st.cam;
  const X = fa.side * (st.roadHalf + st.sidewalk[fa.side < 0 ? 0 : 1]);
  const z0 = Math.max(fa.z0, NEAR);
  const z1 = fa.z1;
  if (z1 <= z0) return;
  if (fa.kind === 'hedge') {
    // grass behind the sidewalk, then the hedge with trees behind
    c.ids(LABEL.terrain, 0);
    ink(c, [96, 130, 64]).grain(14, 5);
    groundQuad(c, cam, X, X + fa.side * 60, z0, z1);
    c.ids(LABEL.vegetation, 0);
    const n = Math.max(1, Math.round((z1 - z0) / 6));
    for (let i = 0; i < n; i++) {
      const zt = z0 + ((i + 0.5) * (z1 - z0)) / n;
      const s = cam.f / zt;
      const x = projectX(cam, X + fa.side * 3, zt);
      const r = rng.uniform(2, 4) * s;
      ink(c, [60, 88, 44], rng.uniform(0.8, 1.2)).grain(20, i);
      c.fillEllipse(x, projectY(cam, rng.uniform(4, 7), zt), r, r * 0.9);
    }
    ink(c, [62, 96, 46]).grain(18, 3);
    wallQuad(c, cam, X, z0, z1, 0, fa.height);
    return;
  }
  if (fa.kind === 'wall') {
    c.ids(LABEL.wall, 0);
    ink(c, fa.color).grain(8, 9);
    wallQuad(c, cam, X, z0, z1, 0, fa.height);
    ink(c, fa.color, 0.8);
    wallQuad(c, cam, X, z0, z1, fa.height - 0.15, fa.height);
    return;
  }
  c.ids(LABEL.building, 0);
  ink(c, fa.color).grain(8, 13);
  wallQuad(c, cam, X, z0, z1, 0, fa.height);
  ink(c, fa.color, 0.78);
  wallQuad(c, cam, X, z0, z1, fa.height - 0.35, fa.height);
  // shop front or plinth
  if (fa.shop) {
    ink(c, fa.color, 0.6);
    wallQuad(c, cam, X, z0, z1, 2.6, 3.0);
    for (let z = z0 + 0.6; z + 2.4 < z1; z += 3.2) {
      ink(c, fa.glass, 0.8);
      wallQuad(c, cam, X, z, z + 2.4, 0.4, 2.5);
    }
  } else {
    ink(c, fa.color, 0.7);
    wallQuad(c, cam, X, z0, z1, 0, 0.6);
  }
  // window grid
  const floors = Math.floor((fa.height - 3.2) / fa.floorH);
  for (let z = z0 + fa.colStep / 2; z + fa.winW < z1; z += fa.colStep) {
    if (z < 1) continue;
    const pw = (cam.f * Math.abs(X) * fa.winW) / (z * (z + fa.winW));
    if (pw < 0.7) continue;
    for (let k = 0; k < floors; k++) {
      const y0 = 3.3 + k * fa.floorH + 0.8;
      const y1 = y0 + fa.winH;
      if (y1 > fa.height - 0.4) break;
      if (pw > 5) {
        ink(c, fa.color, 1.15);
        wallQuad(c, cam, X, z - 0.08, z + fa.winW + 0.08, y0 - 0.1, y1 + 0.1);
      }
      const lit = rng.next();
      ink(c, lit < 0.1 ? [190, 176, 130] : lit < 0.3 ? scaleRgb(fa.glass, 1.5) : fa.glass);
      wallQuad(c, cam, X, z, z + fa.winW, y0, y1);
    }
  }
}

/** The camera car's bonnet along the bottom edge (Cityscapes 'ego vehicle'). */
export function drawHood(c: Canvas, st: Street): void {
  if (!st.hood) return;
  const { width: w, height: h } = st.cam;
  const hh = st.hood.height;
  c.ids(LABEL.egoVehicle, 0);
  const col = st.hood.color;
  c.color(col[0] * 1.3, col[1] * 1.3, col[2] * 1.3).gradient(col[0], col[1], col[2], h - hh, h);
  const pts: number[] = [];
  const n = 16;
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const x = -0.05 * w + t * 1.1 * w;
    const u = 2 * t - 1;
    pts.push(x, h - hh * (1 - 0.55 * u * u));
  }
  pts.push(1.05 * w, h + 1, -0.05 * w, h + 1);
  c.fillPolygon(pts);
}
