// Draws an articulated person from a skeleton: limbs as tapered capsules, torso as a polygon,
// head with hair, face, eyes, nose, mouth and ears; clothing with colours and textures. Parts
// are painted far to near (by depth after turning the body by its yaw), each as its own draw
// group, so that the 17 COCO keypoints can later be checked against what ended up visible.
import type { Canvas } from './raster.ts';
import { EAR_AZ, EYE_AZ, headPoint, lerp, type Skeleton, type V3 } from './skeleton.ts';
import { mixRgb, scaleRgb, type Garment, type PersonStyle, type RGB } from './style.ts';

/** Where and how a body frame lands in the image. */
export interface View {
  /** Image position of the body frame's origin (the ground point under the person). */
  x0: number;
  y0: number;
  /** Pixels per metre. */
  s: number;
  /** Turn of the body: 0 faces the camera, pi shows the back, pi/2 walks to the image's right. */
  yaw: number;
}

export interface Ids {
  label: number;
  obj: number;
}

/** One drawable piece; `group` is its draw group once drawn (0 before). */
export interface Part {
  depth: number;
  key: string;
  ids: Ids;
  draw(c: Canvas): void;
  group: number;
}

/** A keypoint before visibility is decided: image position, whether it faces the camera, and the draw groups it belongs to. */
export interface KeypointDraft {
  x: number;
  y: number;
  facing: boolean;
  groups: number[];
}

export interface FaceDraft {
  /** The skin ellipse from hairline to chin and cheek to cheek. */
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  facing: boolean;
  group: number;
}

export interface PersonRender {
  keypoints: KeypointDraft[];
  face: FaceDraft;
}

/** Azimuth of the cheeks' outer edge on the head (radians from straight ahead). */
const CHEEK_AZ = 1.1;

/** COCO keypoint order. */
export const KEYPOINT_NAMES = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

/** COCO person skeleton (1-based keypoint indices), as in person_keypoints_*.json. */
export const COCO_SKELETON: [number, number][] = [
  [16, 14],
  [14, 12],
  [17, 15],
  [15, 13],
  [12, 13],
  [6, 12],
  [7, 13],
  [6, 7],
  [6, 8],
  [7, 9],
  [8, 10],
  [9, 11],
  [2, 3],
  [1, 2],
  [1, 3],
  [2, 4],
  [3, 5],
  [4, 6],
  [5, 7],
];

export function project(v: View, p: V3): [number, number] {
  const c = Math.cos(v.yaw);
  const s = Math.sin(v.yaw);
  return [v.x0 + v.s * (c * p[0] + s * p[2]), v.y0 - v.s * p[1]];
}

/** Distance towards the camera of a body-frame point (larger = nearer). */
export function depthOf(v: View, p: V3): number {
  return -Math.sin(v.yaw) * p[0] + Math.cos(v.yaw) * p[2];
}

/** Sets a garment's colour and texture as the canvas ink, anchored at (ax, ay) so the texture moves with the person. */
export function garmentInk(c: Canvas, g: Garment, s: number, ax: number, ay: number, shade: number): void {
  const col = scaleRgb(g.color, shade);
  const periodPx = g.period * s;
  c.color(col[0], col[1], col[2]);
  if (g.pattern === 'solid' || periodPx < 2) {
    if (g.pattern !== 'solid') {
      const m = mixRgb(col, scaleRgb(g.color2, shade), 0.35);
      c.color(m[0], m[1], m[2]);
    }
  } else {
    const c2 = scaleRgb(g.color2, shade);
    if (g.pattern === 'stripes') c.stripes(c2[0], c2[1], c2[2], 0, 1, periodPx, -ay / periodPx);
    else if (g.pattern === 'vstripes') c.stripes(c2[0], c2[1], c2[2], 1, 0, periodPx, -ax / periodPx);
    else c.checks(c2[0], c2[1], c2[2], 1, 0, periodPx, -ax / periodPx, -ay / periodPx);
  }
  if (s > 60) c.grain(6, (ax * 31 + ay * 17) | 0);
}

function solid(c: Canvas, col: RGB, shade = 1): void {
  c.color(col[0] * shade, col[1] * shade, col[2] * shade);
}

/** Sorts parts far to near (stable) and draws them, recording each part's draw group. */
export function drawParts(c: Canvas, parts: Part[]): void {
  const order = parts.map((p, i) => ({ p, i }));
  order.sort((a, b) => a.p.depth - b.p.depth || a.i - b.i);
  for (const { p } of order) {
    p.group = c.ids(p.ids.label, p.ids.obj);
    p.draw(c);
  }
}

export interface PersonOptions {
  /** Smallest limb radius in pixels (keeps tiny people connected). */
  minRadius?: number;
}

/**
 * The parts of a person and a `finish` that, once the parts are drawn, returns the keypoint
 * and face drafts. Parts can be merged with others (a bicycle) before drawing.
 */
export function personParts(sk: Skeleton, st: PersonStyle, v: View, ids: Ids, opts: PersonOptions = {}): { parts: Part[]; finish(): PersonRender } {
  const s = v.s;
  const k = sk.H / 1.75;
  const minR = opts.minRadius ?? 0.55;
  const P = (p: V3) => project(v, p);
  const D = (p: V3) => depthOf(v, p);
  const R = (m: number) => Math.max(minR, m * s);
  const parts: Part[] = [];
  const byKey = new Map<string, Part>();
  const add = (key: string, depth: number, draw: (c: Canvas) => void) => {
    const part: Part = { key, depth, ids, draw, group: 0 };
    parts.push(part);
    byKey.set(key, part);
  };
  const yaw = v.yaw;
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const headTurn = yaw + sk.headYaw;
  const [ax, ay] = P([0, sk.H, 0]);
  const farShade = (d: number) => (d < -0.03 * k ? 0.82 : 1);

  // ---- torso (with neck and shoulder caps) --------------------------------------------
  const shMid = lerp(sk.shoulder[0], sk.shoulder[1], 0.5);
  const hipMid = lerp(sk.hip[0], sk.hip[1], 0.5);
  add('torso', 0, (c) => {
    const [sx, syy] = P(shMid);
    const [hx, hy] = P(hipMid);
    const [wx, wy] = P(lerp(shMid, hipMid, 0.62));
    const [cx2, cy2] = P([hipMid[0], hipMid[1] - 0.06 * k, hipMid[2]]);
    let dx = hx - sx;
    let dy = hy - syy;
    const L = Math.hypot(dx, dy) || 1;
    dx /= L;
    dy /= L;
    const nx = -dy;
    const ny = dx;
    const ac = Math.abs(cy);
    const as = Math.abs(sy);
    const wS = Math.max(minR, s * (ac * sk.shoulderHalf * 1.08 + as * sk.torsoDepth));
    const wW = Math.max(minR, s * (ac * sk.shoulderHalf * 0.82 + as * sk.torsoDepth * 0.95));
    const wH = Math.max(minR, s * (ac * (sk.hipHalf + 0.075 * k * sk.build) + as * sk.torsoDepth * 1.05));
    // upper body in the top garment
    garmentInk(c, st.top, s, ax, ay, 1);
    c.fillPolygon([sx + nx * wS, syy + ny * wS, wx + nx * wW, wy + ny * wW, wx - nx * wW, wy - ny * wW, sx - nx * wS, syy - ny * wS]);
    const capR = R(0.06 * k * sk.build);
    for (let side = 0; side < 2; side++) {
      const [px, py] = P(sk.shoulder[side]);
      c.fillEllipse(px, py + capR * 0.2, capR, capR);
    }
    if (st.openJacket && cy > 0.3 && s * k > 40) {
      solid(c, st.inner);
      const w = wW * 0.28;
      c.fillPolygon([sx + nx * w, syy + ny * w + 0.04 * k * s, wx + nx * w, wy + ny * w, wx - nx * w, wy - ny * w, sx - nx * w, syy - ny * w + 0.04 * k * s]);
    }
    // pelvis in the bottom garment (skin under a skirt is hidden by the skirt part)
    garmentInk(c, st.bottom, s, ax, ay, 1);
    c.fillPolygon([wx + nx * wW, wy + ny * wW, hx + nx * wH, hy + ny * wH, cx2 + nx * wH * 0.5, cy2 + ny * wH * 0.5, cx2 - nx * wH * 0.5, cy2 - ny * wH * 0.5, hx - nx * wH, hy - ny * wH, wx - nx * wW, wy - ny * wW]);
    // neck
    solid(c, st.skin, 0.92);
    const [nx1, ny1] = P(sk.neck);
    const [nx2, ny2] = P([sk.head[0], sk.head[1] - sk.headRy * 0.6, sk.head[2]]);
    c.fillCapsule(nx1, ny1, R(0.055 * k), nx2, ny2, R(0.05 * k));
  });

  // ---- backpack -------------------------------------------------------------------------
  if (st.backpack) {
    const centre: V3 = [0, shMid[1] - 0.25 * k, -sk.torsoDepth - 0.07 * k];
    add('bag', D(centre), (c) => {
      solid(c, st.bag, 0.9);
      const top: V3 = [0, shMid[1] - 0.05 * k, centre[2]];
      const bot: V3 = [0, shMid[1] - 0.45 * k, centre[2]];
      const [tx, ty] = P(top);
      const [bx, by] = P(bot);
      const w = s * (Math.abs(cy) * 0.15 * k + Math.abs(sy) * 0.1 * k);
      c.fillCapsule(tx, ty, Math.max(minR, w * 0.9), bx, by, Math.max(minR, w));
    });
  }

  // ---- legs ---------------------------------------------------------------------------
  for (let side = 0; side < 2; side++) {
    const sfx = side === 0 ? 'L' : 'R';
    const hip = sk.hip[side];
    const knee = sk.knee[side];
    const ankle = sk.ankle[side];
    const toe = sk.toe[side];
    const dT = D(lerp(hip, knee, 0.5));
    const dS = D(lerp(knee, ankle, 0.5));
    const dF = D(lerp(ankle, toe, 0.5));
    add('thigh' + sfx, dT, (c) => {
      if (st.legwear === 'skirt') solid(c, st.skin, farShade(dT) * 0.95);
      else garmentInk(c, st.bottom, s, ax, ay, farShade(dT));
      const [x0, y0] = P(hip);
      const [x1, y1] = P(knee);
      c.fillCapsule(x0, y0, R(0.085 * k * sk.build), x1, y1, R(0.06 * k * sk.build));
    });
    add('shin' + sfx, dS, (c) => {
      if (st.legwear === 'trousers') garmentInk(c, st.bottom, s, ax, ay, farShade(dS));
      else solid(c, st.skin, farShade(dS) * 0.95);
      const [x0, y0] = P(knee);
      const [x1, y1] = P(ankle);
      c.fillCapsule(x0, y0, R(0.058 * k * sk.build), x1, y1, R(0.04 * k));
    });
    add('foot' + sfx, dF, (c) => {
      solid(c, st.shoes, farShade(dF));
      const [x0, y0] = P(ankle);
      const [x1, y1] = P(toe);
      c.fillCapsule(x0, y0, R(0.045 * k), x1, y1, R(0.035 * k));
    });
  }
  if (st.legwear === 'skirt') {
    const d = Math.max(D(lerp(sk.hip[0], sk.knee[0], 0.5)), D(lerp(sk.hip[1], sk.knee[1], 0.5))) + 0.01;
    add('skirt', d, (c) => {
      garmentInk(c, st.bottom, s, ax, ay, 1);
      const w0 = s * (Math.abs(cy) * (sk.hipHalf + 0.08 * k) + Math.abs(sy) * sk.torsoDepth * 1.1);
      const kneeMid = lerp(sk.knee[0], sk.knee[1], 0.5);
      const spread = Math.abs(P(sk.knee[0])[0] - P(sk.knee[1])[0]) / 2;
      const w1 = Math.max(w0 * 1.25, spread + R(0.07 * k));
      const [tx, ty] = P([hipMid[0], hipMid[1] + 0.06 * k, hipMid[2]]);
      const [bx, by] = P(lerp(hipMid, kneeMid, 0.7));
      c.fillPolygon([tx - Math.max(minR, w0), ty, tx + Math.max(minR, w0), ty, bx + w1, by, bx - w1, by]);
    });
  }

  // ---- arms ---------------------------------------------------------------------------
  for (let side = 0; side < 2; side++) {
    const sfx = side === 0 ? 'L' : 'R';
    const sh = sk.shoulder[side];
    const el = sk.elbow[side];
    const wr = sk.wrist[side];
    const ht = sk.handTip[side];
    const dU = D(lerp(sh, el, 0.5));
    const dFo = D(lerp(el, wr, 0.5));
    const dH = D(lerp(wr, ht, 0.5));
    add('upper' + sfx, dU, (c) => {
      garmentInk(c, st.top, s, ax, ay, farShade(dU));
      const [x0, y0] = P(sh);
      const [x1, y1] = P(el);
      c.fillCapsule(x0, y0, R(0.052 * k * sk.build), x1, y1, R(0.042 * k * sk.build));
    });
    add('fore' + sfx, dFo, (c) => {
      if (st.longSleeves) garmentInk(c, st.top, s, ax, ay, farShade(dFo));
      else solid(c, st.skin, farShade(dFo));
      const [x0, y0] = P(el);
      const [x1, y1] = P(wr);
      c.fillCapsule(x0, y0, R(0.04 * k * sk.build), x1, y1, R(0.03 * k));
    });
    add('hand' + sfx, dH, (c) => {
      solid(c, st.skin, farShade(dH) * 0.97);
      const [x0, y0] = P(wr);
      const [x1, y1] = P(ht);
      c.fillCapsule(x0, y0, R(0.032 * k), x1, y1, R(0.038 * k));
    });
  }

  // ---- hair falling behind the head -------------------------------------------------------
  if (st.hairStyle === 'long') {
    const back = headPoint(sk, Math.PI, -0.2, 0.55);
    const low: V3 = [back[0], sk.neck[1] - 0.08 * k, back[2]];
    add('hairBack', D(back) - 0.01 * k, (c) => {
      solid(c, st.hair);
      const [x0, y0] = P(headPoint(sk, Math.PI, 0.1, 0.3));
      const [x1, y1] = P(low);
      c.fillCapsule(x0, y0, R(sk.headRx * 1.05), x1, y1, R(sk.headRx * 0.95));
    });
  }

  // ---- head ---------------------------------------------------------------------------
  const [hx, hy] = P(sk.head);
  const rxI = Math.max(minR, s * sk.headRx);
  const ryI = Math.max(minR, s * sk.headRy);
  const ch = Math.cos(headTurn);
  const shT = Math.sin(headTurn);
  // The face spans azimuths -CHEEK..CHEEK on the head; only the half turned to the camera shows.
  const lo = Math.sin(Math.max(-CHEEK_AZ + headTurn, -Math.PI / 2));
  const hi = Math.sin(Math.min(CHEEK_AZ + headTurn, Math.PI / 2));
  const face: FaceDraft = {
    cx: hx + rxI * (lo + hi) * 0.5,
    cy: hy + 0.22 * ryI,
    rx: (rxI * (hi - lo)) / 2,
    ry: 0.78 * ryI,
    facing: hi - lo > 0.3 && Math.abs(headTurn - Math.round(headTurn / (2 * Math.PI)) * 2 * Math.PI) < Math.PI / 2 + CHEEK_AZ,
    group: 0,
  };
  add('head', 0.03 * k, (c) => {
    if (st.hairStyle === 'bald') solid(c, st.skin, 0.93);
    else solid(c, st.hair);
    c.fillEllipse(hx, hy, rxI, ryI);
    if (st.hairStyle === 'cap') {
      solid(c, st.cap);
      c.fillEllipse(hx, hy - 0.5 * ryI, rxI * 1.05, ryI * 0.58);
    }
    // ears
    for (let side = 0; side < 2; side++) {
      const a = (side === 0 ? 1 : -1) * EAR_AZ + headTurn;
      const ca = Math.cos(a);
      if (ca > -0.35 && ca < 0.75 && rxI >= 1.2) {
        solid(c, st.skin, 0.9);
        c.fillEllipse(hx + rxI * Math.sin(a), hy + 0.1 * ryI, Math.max(0.5, rxI * (0.1 + 0.12 * Math.abs(Math.sin(a)))), ryI * 0.26);
      }
    }
    if (face.facing) {
      solid(c, st.skin);
      c.fillEllipse(face.cx, face.cy, face.rx, face.ry);
      if (st.hairStyle !== 'bald' && st.hairStyle !== 'cap' && rxI >= 2) {
        // fringe over the forehead
        solid(c, st.hair);
        c.fillEllipse(hx + rxI * 0.2 * shT, hy - 0.62 * ryI, rxI * 0.85, ryI * 0.3);
      }
      if (rxI >= 1.5) drawFeatures(c, st, hx, hy, rxI, ryI, headTurn);
      if (st.hairStyle === 'cap' && ch > -0.3) {
        solid(c, st.cap, 0.75);
        c.fillEllipse(hx + rxI * 0.7 * shT, hy - 0.42 * ryI, rxI * (0.35 + 0.6 * Math.abs(ch)), Math.max(0.5, ryI * 0.1));
      }
    }
  });

  const finish = (): PersonRender => {
    const g = (...keys: string[]) => keys.map((key) => byKey.get(key)?.group ?? 0).filter((x) => x > 0);
    const head = byKey.get('head')!;
    face.group = head.group;
    const kp: KeypointDraft[] = [];
    const put = (p: V3, facing: boolean, groups: number[]) => {
      const [x, y] = P(p);
      kp.push({ x, y, facing, groups });
    };
    put(headPoint(sk, 0, -0.3, 1.0), ch > -0.25, g('head'));
    for (let side = 0; side < 2; side++) {
      const a = (side === 0 ? 1 : -1) * EYE_AZ;
      put(headPoint(sk, a, 0, 0.95), Math.cos(a + headTurn) > 0.1, g('head'));
    }
    for (let side = 0; side < 2; side++) {
      const a = (side === 0 ? 1 : -1) * EAR_AZ;
      put(headPoint(sk, a, -0.1, 0.92), Math.cos(a + headTurn) > -0.35, g('head'));
    }
    const sideFacing = (side: number) => Math.cos((side === 0 ? 1 : -1) * (Math.PI / 2) + yaw) > -0.75;
    for (let side = 0; side < 2; side++) put(sk.shoulder[side], sideFacing(side), g('torso', side === 0 ? 'upperL' : 'upperR'));
    for (let side = 0; side < 2; side++) put(sk.elbow[side], true, side === 0 ? g('upperL', 'foreL') : g('upperR', 'foreR'));
    for (let side = 0; side < 2; side++) put(sk.wrist[side], true, side === 0 ? g('foreL', 'handL') : g('foreR', 'handR'));
    for (let side = 0; side < 2; side++) put(sk.hip[side], sideFacing(side), g('torso', 'skirt', side === 0 ? 'thighL' : 'thighR'));
    for (let side = 0; side < 2; side++) put(sk.knee[side], true, side === 0 ? g('thighL', 'shinL') : g('thighR', 'shinR'));
    for (let side = 0; side < 2; side++) put(sk.ankle[side], true, side === 0 ? g('shinL', 'footL') : g('shinR', 'footR'));
    return { keypoints: kp, face };
  };
  return { parts, finish };
}

function drawFeatures(c: Canvas, st: PersonStyle, hx: number, hy: number, rxI: number, ryI: number, turn: number): void {
  const big = rxI >= 6;
  for (let side = 0; side < 2; side++) {
    const a = (side === 0 ? 1 : -1) * EYE_AZ + turn;
    const ca = Math.cos(a);
    if (ca <= 0.1) continue;
    const ex = hx + rxI * 0.95 * Math.sin(a);
    const ey = hy;
    if (big) {
      c.color(240, 238, 232);
      c.fillEllipse(ex, ey, rxI * 0.17 * ca + 0.3, ryI * 0.065 + 0.2);
      c.color(46, 34, 30);
      c.fillEllipse(ex, ey, rxI * 0.08 * ca + 0.3, ryI * 0.06 + 0.2);
    } else {
      c.color(36, 28, 26);
      c.fillEllipse(ex, ey, Math.max(0.45, rxI * 0.14 * ca), Math.max(0.45, ryI * 0.07));
    }
    if (rxI >= 4) {
      solid(c, st.hairStyle === 'bald' ? scaleRgb(st.skin, 0.6) : st.hair, 0.9);
      c.fillEllipse(ex, ey - 0.17 * ryI, rxI * 0.18 * ca + 0.3, Math.max(0.4, ryI * 0.035));
    }
  }
  const sn = Math.sin(turn);
  const cn = Math.cos(turn);
  if (cn > -0.1) {
    solid(c, st.skin, 0.82);
    c.fillEllipse(hx + rxI * 1.0 * sn, hy + 0.3 * ryI, Math.max(0.45, rxI * (0.1 + 0.08 * Math.abs(sn))), Math.max(0.45, ryI * 0.11));
  }
  if (cn > 0.05) {
    c.color(150, 60, 60);
    c.fillEllipse(hx + rxI * 0.93 * sn, hy + 0.58 * ryI, Math.max(0.45, rxI * (0.3 * cn + 0.05)), Math.max(0.4, ryI * 0.045));
  }
}

/** A soft contact shadow on the ground under a person (darkens, keeps labels). */
export function drawGroundShadow(c: Canvas, x: number, y: number, rx: number, ry: number, strength = 0.7): void {
  c.darken(strength);
  c.fillEllipse(x, y, rx, ry);
}
