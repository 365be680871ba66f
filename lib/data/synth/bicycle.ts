// A bicycle and its rider, in one body frame (x left, y up, z forwards): the rider sits on the
// saddle, feet on the pedals and hands on the grips (two-bone IK for knees and elbows).
// The bicycle and the rider are separate instances (Cityscapes 'bicycle' and 'rider'); their
// parts are painted together far to near so the near leg covers the frame and the frame the far leg.
import type { Canvas } from './raster.ts';
import type { Rng } from './rng.ts';
import { depthOf, personParts, project, type Ids, type Part, type PersonRender, type View } from './person.ts';
import { add, lerp, measures, norm, scale, solveTwoBone, sub, type Skeleton, type V3 } from './skeleton.ts';
import type { PersonStyle, RGB } from './style.ts';
import { jitter } from './style.ts';

export interface BikeSpec {
  /** Size factor (1: a 0.34 m wheel radius, 1.04 m wheelbase). */
  size: number;
  frame: RGB;
  /** Crank angle (radians). */
  crank: number;
}

export function randomBike(rng: Rng): BikeSpec {
  const frames: RGB[] = [
    [30, 30, 34],
    [170, 20, 24],
    [30, 60, 140],
    [210, 210, 210],
    [40, 110, 60],
    [200, 170, 40],
  ];
  return { size: rng.uniform(0.92, 1.05), frame: jitter(rng, rng.pick(frames), 10), crank: rng.uniform(0, 2 * Math.PI) };
}

/** Bicycle key points in the body frame. */
function bikeGeometry(b: BikeSpec) {
  const k = b.size;
  const R = 0.34 * k;
  return {
    R,
    rear: [0, R, -0.52 * k] as V3,
    front: [0, R, 0.52 * k] as V3,
    bb: [0, 0.3 * k, -0.04 * k] as V3,
    seat: [0, 0.86 * k, -0.22 * k] as V3,
    saddle: [0, 0.92 * k, -0.25 * k] as V3,
    headTop: [0, 0.96 * k, 0.37 * k] as V3,
    headBot: [0, 0.8 * k, 0.41 * k] as V3,
    bar: [0, 1.03 * k, 0.32 * k] as V3,
    crank: 0.17 * k,
  };
}

/** The rider's skeleton on the bicycle. */
export function ridingSkeleton(H: number, build: number, bike: BikeSpec, lean: number, headYaw: number): Skeleton {
  const m = measures(H, build);
  const g = bikeGeometry(bike);
  const hipMid: V3 = add(g.saddle, [0, 0.07 * m.k, 0.02]);
  const hip: [V3, V3] = [add(hipMid, [m.hipHalf, 0, 0]), add(hipMid, [-m.hipHalf, 0, 0])];
  const spine = norm([0, Math.cos(lean), Math.sin(lean)]);
  const torsoLen = m.shoulderY - m.hipY;
  const shMid = add(hipMid, scale(spine, torsoLen));
  const shoulder: [V3, V3] = [add(shMid, [m.shoulderHalf, 0, 0]), add(shMid, [-m.shoulderHalf, 0, 0])];
  const neck = add(shMid, scale(spine, 0.02 * m.k));
  const head = add(shMid, [0, m.headY - m.shoulderY, 0.06 * m.k + 0.15 * Math.sin(lean) * m.k]);
  const knee: V3[] = [];
  const ankle: V3[] = [];
  const toe: V3[] = [];
  const elbow: V3[] = [];
  const wrist: V3[] = [];
  const handTip: V3[] = [];
  for (let side = 0; side < 2; side++) {
    const sg = side === 0 ? 1 : -1;
    const a = bike.crank + (side === 0 ? 0 : Math.PI);
    const pedal: V3 = add(g.bb, [sg * 0.12 * bike.size, g.crank * Math.sin(a), g.crank * Math.cos(a)]);
    const ankleTarget = add(pedal, [0, 0.07 * m.k, -0.04 * m.k]);
    const [kn, an] = solveTwoBone(hip[side], ankleTarget, m.thigh, m.shin, [0, 0.35, 1]);
    knee.push(kn);
    ankle.push(an);
    toe.push(add(an, scale(norm([0, -0.35, 1]), m.foot)));
    const grip: V3 = add(g.bar, [sg * 0.25 * bike.size, 0, 0]);
    const wristTarget = add(grip, [0, 0.02, -0.05 * m.k]);
    const [el, wr] = solveTwoBone(shoulder[side], wristTarget, m.upperArm, m.foreArm, [sg * 0.6, -1, -0.3]);
    elbow.push(el);
    wrist.push(wr);
    handTip.push(add(wr, scale(norm(sub(grip, wr)), m.hand)));
  }
  return {
    H,
    build,
    head,
    headRx: m.headRx,
    headRy: m.headRy,
    headYaw,
    neck,
    shoulder,
    elbow: [elbow[0], elbow[1]],
    wrist: [wrist[0], wrist[1]],
    handTip: [handTip[0], handTip[1]],
    hip,
    knee: [knee[0], knee[1]],
    ankle: [ankle[0], ankle[1]],
    toe: [toe[0], toe[1]],
    shoulderHalf: m.shoulderHalf,
    hipHalf: m.hipHalf,
    torsoDepth: m.torsoDepth,
  };
}

/** Parts of a bicycle in the view (label/obj in `ids`). */
export function bicycleParts(bike: BikeSpec, v: View, ids: Ids): Part[] {
  const g = bikeGeometry(bike);
  const s = v.s;
  const P = (p: V3) => project(v, p);
  const parts: Part[] = [];
  const lw = Math.max(0.55, 0.02 * s);
  const wheel = (hub: V3) => (c: Canvas) => {
    const [cx, cy] = P(hub);
    const ry = g.R * s;
    const rx = Math.max(lw * 1.2, g.R * s * Math.abs(Math.sin(v.yaw)));
    c.color(24, 24, 26);
    const t = Math.max(0.9, 0.045 * s);
    c.fillRing(cx, cy, rx, ry, rx - t * Math.abs(Math.sin(v.yaw)), ry - t);
    if (ry > 8 && Math.abs(Math.sin(v.yaw)) > 0.5) {
      c.color(150, 150, 155);
      for (let i = 0; i < 6; i++) {
        const a = (i * Math.PI) / 6;
        c.line(cx - Math.cos(a) * (rx - t), cy - Math.sin(a) * (ry - t), cx + Math.cos(a) * (rx - t), cy + Math.sin(a) * (ry - t), 0.6);
      }
      c.fillEllipse(cx, cy, 1.2, 1.2);
    }
  };
  parts.push({ key: 'wheelRear', depth: depthOf(v, g.rear) - 0.001, ids, draw: wheel(g.rear), group: 0 });
  parts.push({ key: 'wheelFront', depth: depthOf(v, g.front) - 0.001, ids, draw: wheel(g.front), group: 0 });
  const tube = (c: Canvas, a: V3, b: V3, w = lw) => {
    const [x0, y0] = P(a);
    const [x1, y1] = P(b);
    c.line(x0, y0, x1, y1, w * 2);
  };
  parts.push({
    key: 'frame',
    depth: depthOf(v, g.bb) - 0.002,
    ids,
    group: 0,
    draw: (c) => {
      c.color(bike.frame[0], bike.frame[1], bike.frame[2]);
      tube(c, g.bb, g.seat);
      tube(c, g.seat, g.headTop);
      tube(c, g.bb, g.headBot);
      tube(c, g.bb, g.rear);
      tube(c, g.seat, g.rear);
      tube(c, g.headTop, g.headBot);
      tube(c, g.headBot, g.front);
      tube(c, g.headTop, g.bar);
      c.color(28, 28, 30);
      tube(c, add(g.bar, [0.25 * bike.size, 0, 0]), add(g.bar, [-0.25 * bike.size, 0, 0]));
      tube(c, lerp(g.seat, g.saddle, 0.2), g.saddle);
      tube(c, add(g.saddle, [0, 0, -0.06]), add(g.saddle, [0, 0, 0.1]), lw * 1.4);
      for (let side = 0; side < 2; side++) {
        const a = bike.crank + (side === 0 ? 0 : Math.PI);
        const pedal: V3 = add(g.bb, [0, g.crank * Math.sin(a), g.crank * Math.cos(a)]);
        tube(c, g.bb, pedal);
      }
    },
  });
  return parts;
}

/** A rider on a bicycle: parts of both, and the rider's keypoint drafts after drawing. */
export function riderOnBike(
  sk: Skeleton,
  style: PersonStyle,
  bike: BikeSpec,
  v: View,
  riderIds: Ids,
  bikeIds: Ids,
): { parts: Part[]; finish(): PersonRender } {
  const rider = personParts(sk, style, v, riderIds);
  return { parts: [...bicycleParts(bike, v, bikeIds), ...rider.parts], finish: rider.finish };
}
