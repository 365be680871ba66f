// Scene layout: a street seen from a car (camera, road, sidewalks, facades, far skyline) and
// the actors placed on it by perspective (parked and moving cars, pedestrians at many
// distances, riders on bicycles, crowds, poles, trees). Pure data; drawing is elsewhere.
import { groundZ, type Camera } from './camera.ts';
import { randomBike, type BikeSpec } from './bicycle.ts';
import { randomPole, randomTree, type PoleSpec, type TreeSpec } from './props.ts';
import type { Rng } from './rng.ts';
import type { ArmPose, WalkPose } from './skeleton.ts';
import { jitter, randomPersonStyle, type PersonStyle, type RGB } from './style.ts';
import { randomCar, type CarSpec } from './vehicle.ts';

export interface Facade {
  /** -1 left side of the street, +1 right side. */
  side: -1 | 1;
  z0: number;
  z1: number;
  kind: 'building' | 'hedge' | 'wall';
  height: number;
  color: RGB;
  floorH: number;
  colStep: number;
  winW: number;
  winH: number;
  glass: RGB;
  shop: boolean;
}

export interface SkylineBlock {
  x0: number;
  x1: number;
  height: number;
  color: RGB;
  trees: boolean;
}

export interface Street {
  cam: Camera;
  roadHalf: number;
  lanes: number;
  /** Sidewalk widths [left, right] (m). */
  sidewalk: [number, number];
  zFar: number;
  facades: Facade[];
  skyline: SkylineBlock[];
  skyTop: RGB;
  skyBottom: RGB;
  clouds: { x: number; y: number; rx: number; ry: number }[];
  road: RGB;
  pavement: RGB;
  curb: RGB;
  crosswalkZ: number | null;
  centreLine: 'dashed' | 'double' | 'none';
  /** Global brightness and colour cast applied at the end. */
  light: number;
  tint: [number, number, number];
  hood: { height: number; color: RGB } | null;
}

export interface PersonActor {
  kind: 'person';
  X: number;
  Z: number;
  H: number;
  build: number;
  /** Body turn relative to the line of sight (0: faces the camera). */
  yaw: number;
  style: PersonStyle;
  pose: WalkPose;
}

export interface RiderActor {
  kind: 'rider';
  X: number;
  Z: number;
  H: number;
  build: number;
  yaw: number;
  style: PersonStyle;
  bike: BikeSpec;
  lean: number;
  headYaw: number;
}

export type Actor =
  | PersonActor
  | RiderActor
  | { kind: 'car'; Z: number; car: CarSpec }
  | { kind: 'crowd'; Z: number; members: PersonActor[] }
  | { kind: 'pole'; Z: number; pole: PoleSpec }
  | { kind: 'tree'; Z: number; tree: TreeSpec };

const FACADE_COLORS: RGB[] = [
  [196, 184, 160],
  [170, 164, 156],
  [214, 206, 190],
  [150, 92, 72],
  [120, 118, 116],
  [188, 160, 110],
  [226, 222, 214],
  [140, 150, 160],
  [176, 128, 96],
];

export function layoutStreet(rng: Rng, width: number, height: number): Street {
  const f = width * rng.uniform(0.72, 0.92);
  const cam: Camera = {
    width,
    height,
    f,
    cx: width * rng.uniform(0.46, 0.54),
    horizon: height * rng.uniform(0.4, 0.5),
    camHeight: rng.uniform(1.3, 1.6),
  };
  const roadHalf = rng.uniform(3.4, 7);
  const lanes = roadHalf < 4.5 ? 2 : roadHalf < 6 ? rng.int(2, 3) : 4;
  const sidewalk: [number, number] = [rng.uniform(2.2, 4.5), rng.uniform(2.2, 4.5)];
  const zFar = rng.uniform(110, 220);
  const facades: Facade[] = [];
  for (const side of [-1, 1] as const) {
    let z = 0.5;
    while (z < zFar * 0.95) {
      const len = rng.uniform(8, 30);
      const kind = (['building', 'hedge', 'wall'] as const)[rng.weighted([8, 1.2, 0.6])];
      const floorH = rng.uniform(2.8, 3.5);
      facades.push({
        side,
        z0: z,
        z1: Math.min(z + len, zFar),
        kind,
        height: kind === 'building' ? floorH * rng.int(2, 8) + rng.uniform(0.5, 2) : kind === 'hedge' ? rng.uniform(1.2, 3) : rng.uniform(1.2, 2.4),
        color: jitter(rng, rng.pick(FACADE_COLORS), 14),
        floorH,
        colStep: rng.uniform(2.2, 3.6),
        winW: rng.uniform(0.9, 1.4),
        winH: rng.uniform(1.2, 1.8),
        glass: jitter(rng, [60, 70, 82], 14),
        shop: rng.chance(0.5),
      });
      z += len;
    }
  }
  const skyline: SkylineBlock[] = [];
  const span = ((width * 0.7) / f) * zFar + 20;
  for (let x = -span; x < span; ) {
    const w = rng.uniform(12, 45);
    const trees = rng.chance(0.2);
    skyline.push({ x0: x, x1: x + w, height: trees ? rng.uniform(6, 14) : rng.uniform(10, 45), color: jitter(rng, trees ? [78, 96, 70] : [150, 156, 166], 12), trees });
    x += w;
  }
  const overcast = rng.chance(0.35);
  const skyTop: RGB = overcast ? jitter(rng, [176, 182, 190], 10) : jitter(rng, [96, 146, 206], 14);
  const skyBottom: RGB = overcast ? jitter(rng, [214, 216, 220], 8) : jitter(rng, [196, 216, 236], 10);
  const clouds = [];
  const nc = overcast ? 0 : rng.int(0, 5);
  for (let i = 0; i < nc; i++) clouds.push({ x: rng.uniform(0, width), y: rng.uniform(0, cam.horizon * 0.6), rx: rng.uniform(0.05, 0.18) * width, ry: rng.uniform(0.02, 0.05) * height });
  const light = rng.uniform(0.8, 1.1);
  return {
    cam,
    roadHalf,
    lanes,
    sidewalk,
    zFar,
    facades,
    skyline,
    skyTop,
    skyBottom,
    clouds,
    road: jitter(rng, [88, 88, 92], 12),
    pavement: jitter(rng, [150, 144, 138], 14),
    curb: jitter(rng, [176, 174, 170], 8),
    crosswalkZ: rng.chance(0.35) ? rng.uniform(6, 25) : null,
    centreLine: (['dashed', 'double', 'none'] as const)[rng.weighted([3, 1, 1])],
    light,
    tint: [rng.uniform(0.95, 1.05), rng.uniform(0.97, 1.03), rng.uniform(0.95, 1.05)],
    hood: rng.chance(0.3) ? { height: height * rng.uniform(0.05, 0.1), color: jitter(rng, [40, 44, 52], 20) } : null,
  };
}

/** Ground footprints already taken: axis-aligned X/Z rectangles. */
class Occupancy {
  private rects: [number, number, number, number][] = [];
  add(x0: number, x1: number, z0: number, z1: number): void {
    this.rects.push([x0, x1, z0, z1]);
  }
  free(x0: number, x1: number, z0: number, z1: number): boolean {
    for (const [a0, a1, b0, b1] of this.rects) if (x0 < a1 && a0 < x1 && z0 < b1 && b0 < z1) return false;
    return true;
  }
}

/** Where a pedestrian may stand. */
type Region = 'left' | 'right' | 'road';

export function layoutActors(rng: Rng, st: Street): Actor[] {
  const cam = st.cam;
  const { width: w, height: h, f } = cam;
  const actors: Actor[] = [];
  const occ = new Occupancy();
  const rh = st.roadHalf;
  const zBottom = groundZ(cam, h); // ground distance at the bottom row
  const inView = (X: number, Z: number, margin: number) => {
    const x = cam.cx + (f * X) / Z;
    return x > -margin * w && x < (1 + margin) * w;
  };

  // ---- cars ------------------------------------------------------------------------------
  for (const side of [-1, 1] as const) {
    if (!rng.chance(0.75)) continue;
    let z = rng.uniform(Math.max(zBottom, 4), 14);
    while (z < 90) {
      const facing = side > 0 ? (rng.chance(0.85) ? 'away' : 'toward') : rng.chance(0.5) ? 'away' : 'toward';
      const car = randomCar(rng, 0, z, facing);
      car.X = side * (rh - car.width / 2 - 0.2);
      if (rng.chance(0.8) && inView(car.X, car.Z + car.length, 0.3)) {
        actors.push({ kind: 'car', Z: car.Z, car });
        occ.add(car.X - car.width / 2 - 0.3, car.X + car.width / 2 + 0.3, car.Z - 0.4, car.Z + car.length + 0.4);
      }
      z += car.length + rng.uniform(0.8, 7);
    }
  }
  const laneW = (2 * rh) / st.lanes;
  const moving = rng.int(0, 3);
  for (let i = 0; i < moving; i++) {
    const lane = rng.int(0, st.lanes - 1);
    const X = -rh + laneW * (lane + 0.5);
    if (Math.abs(X) > rh - 1.9 && st.lanes > 2) continue; // parking lane
    const facing = X > 0 ? 'away' : 'toward';
    const car = randomCar(rng, X, rng.uniform(Math.max(zBottom + 1, 7), 70), facing);
    if (!occ.free(X - car.width / 2 - 0.3, X + car.width / 2 + 0.3, car.Z - 1, car.Z + car.length + 1)) continue;
    actors.push({ kind: 'car', Z: car.Z, car });
    occ.add(X - car.width / 2 - 0.3, X + car.width / 2 + 0.3, car.Z - 1, car.Z + car.length + 1);
  }

  // ---- poles and trees along the kerbs ---------------------------------------------------
  for (const side of [-1, 1] as const) {
    let z = rng.uniform(3, 15);
    while (z < 110) {
      const X = side * (rh + 0.35);
      if (occ.free(X - 0.2, X + 0.2, z - 0.2, z + 0.2)) {
        actors.push({ kind: 'pole', Z: z, pole: randomPole(rng, X, z) });
        occ.add(X - 0.3, X + 0.3, z - 0.3, z + 0.3);
      }
      z += rng.uniform(10, 28);
    }
    if (rng.chance(0.55)) {
      let zt = rng.uniform(4, 12);
      const X = side * (rh + Math.min(1.2, st.sidewalk[side < 0 ? 0 : 1] * 0.4));
      while (zt < 90) {
        if (occ.free(X - 0.4, X + 0.4, zt - 0.4, zt + 0.4)) {
          actors.push({ kind: 'tree', Z: zt, tree: randomTree(rng, X, zt) });
          occ.add(X - 0.5, X + 0.5, zt - 0.5, zt + 0.5);
        }
        zt += rng.uniform(7, 15);
      }
    }
  }

  const sidewalkX = (side: 'left' | 'right') => {
    const sw = st.sidewalk[side === 'left' ? 0 : 1];
    const X = rng.uniform(rh + 0.4, rh + sw - 0.35);
    return side === 'left' ? -X : X;
  };
  /** A free spot for something of height H about `px` pixels tall; null when none was found. */
  const spot = (H: number, pxMin: number, pxMax: number, regions: Region[], radius: number, margin: number) => {
    for (let tries = 0; tries < 40; tries++) {
      const px = Math.exp(rng.uniform(Math.log(pxMin), Math.log(pxMax)));
      const Z = (f * H) / px;
      if (Z > st.zFar * 0.8 || Z < 1.2) continue;
      const region = rng.pick(regions);
      const X = region === 'road' ? rng.uniform(-rh + 0.5, rh - 0.5) : sidewalkX(region);
      if (!inView(X, Z, margin)) continue;
      const feet = cam.horizon + (f * cam.camHeight) / Z;
      if (feet > h + 0.12 * px) continue;
      if (!occ.free(X - radius, X + radius, Z - radius, Z + radius)) continue;
      return { X, Z, region };
    }
    return null;
  };
  const lineOfSight = (X: number, Z: number) => Math.atan2(X, Z);

  // ---- crowd -----------------------------------------------------------------------------
  if (rng.chance(0.5)) {
    const at = spot(1.75, 14, 40, ['left', 'right', 'left', 'right', 'road'], 1.5, 0);
    if (at) {
      const members: PersonActor[] = [];
      const n = rng.int(8, 22);
      const sx = rng.uniform(1.2, 2.6);
      const sz = rng.uniform(0.8, 2.5);
      for (let i = 0; i < n; i++) {
        const X = at.X + rng.uniform(-sx, sx);
        const Z = at.Z + rng.uniform(-sz, sz);
        const p = randomPedestrian(rng, X, Z, at.region === 'road' ? 'road' : 'left');
        p.yaw += lineOfSight(X, Z);
        members.push(p);
      }
      actors.push({ kind: 'crowd', Z: Math.min(...members.map((m) => m.Z)), members });
      occ.add(at.X - sx - 0.4, at.X + sx + 0.4, at.Z - sz - 0.4, at.Z + sz + 0.4);
    }
  }

  // ---- riders ----------------------------------------------------------------------------
  const riders = rng.weighted([0.3, 0.5, 0.2]);
  for (let i = 0; i < riders; i++) {
    const H = rng.uniform(1.6, 1.9);
    const crossing = rng.chance(0.25);
    for (let tries = 0; tries < 30; tries++) {
      const px = Math.exp(rng.uniform(Math.log(24), Math.log(h * 0.55)));
      const Z = (f * H * 0.85) / px;
      if (Z < Math.max(zBottom, 3) || Z > 80) continue;
      const right = rng.chance(0.6);
      const X = crossing ? rng.uniform(-rh + 1, rh - 1) : (right ? 1 : -1) * (rh - rng.uniform(0.6, 1.3));
      if (!inView(X, Z, 0.02)) continue;
      const heading = crossing ? (rng.chance(0.5) ? Math.PI / 2 : -Math.PI / 2) : right ? Math.PI : 0;
      const along = !crossing;
      const fx0 = along ? X - 0.4 : X - 1;
      const fx1 = along ? X + 0.4 : X + 1;
      const fz0 = along ? Z - 1 : Z - 0.4;
      const fz1 = along ? Z + 1 : Z + 0.4;
      if (!occ.free(fx0, fx1, fz0, fz1)) continue;
      occ.add(fx0, fx1, fz0, fz1);
      actors.push({
        kind: 'rider',
        X,
        Z,
        H,
        build: rng.uniform(0.9, 1.1),
        yaw: heading + rng.uniform(-0.15, 0.15) + lineOfSight(X, Z),
        style: randomPersonStyle(rng),
        bike: randomBike(rng),
        lean: rng.uniform(0.25, 0.6),
        headYaw: rng.chance(0.3) ? rng.uniform(-0.6, 0.6) : 0,
      });
      break;
    }
  }

  // ---- pedestrians -----------------------------------------------------------------------
  const addPerson = (pxMin: number, pxMax: number, regions: Region[], margin: number) => {
    const H = rng.chance(0.08) ? rng.uniform(1.05, 1.45) : rng.uniform(1.55, 1.95);
    const at = spot(H, pxMin, pxMax, regions, 0.35, margin);
    if (!at) return;
    const p = randomPedestrian(rng, at.X, at.Z, at.region);
    p.H = H;
    p.yaw += lineOfSight(at.X, at.Z);
    actors.push(p);
    occ.add(at.X - 0.3, at.X + 0.3, at.Z - 0.3, at.Z + 0.3);
  };
  if (rng.chance(0.65)) addPerson(h * 0.52, h * 0.75, ['road', 'left', 'right'], -0.08);
  addPerson(12, 30, ['left', 'right'], 0);
  const n = rng.int(4, 14);
  for (let i = 0; i < n; i++) addPerson(12, h * 0.5, rng.chance(0.15) ? ['road'] : ['left', 'right'], 0.02);
  // a small group walking together now and then
  if (rng.chance(0.4)) {
    const lead = actors[actors.length - 1];
    if (lead && lead.kind === 'person') {
      for (let j = 0; j < rng.int(1, 3); j++) {
        const X = lead.X + rng.uniform(-0.9, 0.9);
        const Z = lead.Z + rng.uniform(-1.2, 1.2);
        if (Z < 2 || !occ.free(X - 0.3, X + 0.3, Z - 0.3, Z + 0.3) || !inView(X, Z, 0.02)) continue;
        if ((cam.horizon + (f * cam.camHeight) / Z - h) > 0) continue;
        const p = randomPedestrian(rng, X, Z, 'left');
        p.pose.phase = lead.pose.phase + rng.uniform(-1, 1);
        p.yaw = lead.yaw + rng.uniform(-0.2, 0.2);
        actors.push(p);
        occ.add(X - 0.3, X + 0.3, Z - 0.3, Z + 0.3);
      }
    }
  }
  return actors;
}

const STAND_ARMS: ArmPose[] = ['down', 'front', 'phone', 'hip', 'wave', 'carry'];
const STAND_W = [5, 2.5, 1.2, 1, 0.5, 1];

/** A pedestrian at (X, Z), walking along the street, crossing it, or standing. */
export function randomPedestrian(rng: Rng, X: number, Z: number, region: Region): PersonActor {
  const walking = rng.chance(0.6);
  const heading = region === 'road' && walking ? (rng.chance(0.5) ? Math.PI / 2 : -Math.PI / 2) : walking ? (rng.chance(0.5) ? 0 : Math.PI) + rng.uniform(-0.3, 0.3) : rng.uniform(-Math.PI, Math.PI);
  const arm = (): ArmPose => (walking ? (rng.chance(0.85) ? 'swing' : rng.pick<ArmPose>(['phone', 'front', 'carry'])) : STAND_ARMS[rng.weighted(STAND_W)]);
  const arms: [ArmPose, ArmPose] = [arm(), arm()];
  if (arms[0] === 'phone' && arms[1] === 'phone') arms[1] = 'down';
  if (arms[0] === 'wave' && arms[1] === 'wave') arms[1] = 'down';
  const pose: WalkPose = {
    phase: rng.uniform(0, 2 * Math.PI),
    stride: walking ? rng.uniform(0.22, 0.42) : 0,
    armSwing: rng.uniform(0.2, 0.5),
    arms,
    headYaw: rng.chance(0.35) ? rng.uniform(-0.8, 0.8) : 0,
    spread: walking ? 0 : rng.uniform(0, 0.16),
    kneeBend: walking ? [0, 0] : [rng.chance(0.3) ? rng.uniform(0.05, 0.3) : 0, rng.chance(0.3) ? rng.uniform(0.05, 0.3) : 0],
  };
  return { kind: 'person', X, Z, H: rng.uniform(1.55, 1.95), build: rng.uniform(0.88, 1.15), yaw: heading, style: randomPersonStyle(rng), pose };
}
