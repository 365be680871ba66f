// Human skeletons in a body frame, in metres: x towards the person's left, y up (feet on y = 0),
// z forwards (the way the person faces). Proportions follow common anthropometric ratios of a
// standing adult; a person of height H scales them by H / 1.75 m.

export type V3 = [number, number, number];

/** Index 0: the person's left, 1: the right (COCO's left_* / right_*). */
export type Pair = [V3, V3];

export interface Skeleton {
  /** Standing height (m). */
  H: number;
  /** Width factor of the body (0.85 slim .. 1.2 broad). */
  build: number;
  head: V3;
  headRx: number;
  headRy: number;
  /** Head turn relative to the body (radians, positive towards the person's left). */
  headYaw: number;
  /** Base of the neck (between the shoulders). */
  neck: V3;
  shoulder: Pair;
  elbow: Pair;
  wrist: Pair;
  handTip: Pair;
  hip: Pair;
  knee: Pair;
  ankle: Pair;
  toe: Pair;
  shoulderHalf: number;
  hipHalf: number;
  torsoDepth: number;
}

export type ArmPose = 'swing' | 'down' | 'front' | 'phone' | 'wave' | 'hip' | 'carry';

export interface WalkPose {
  /** Gait phase (radians). */
  phase: number;
  /** Thigh swing amplitude (radians); 0 stands still. */
  stride: number;
  /** Arm swing amplitude (radians). */
  armSwing: number;
  arms: [ArmPose, ArmPose];
  /** Head turn relative to the body (radians). */
  headYaw: number;
  /** Extra feet spread while standing (m). */
  spread: number;
  /** Extra knee bend of a relaxed standing leg (radians, per side). */
  kneeBend: [number, number];
}

/** Body measures of a person of height H (m). */
export function measures(H: number, build: number) {
  const k = H / 1.75;
  return {
    k,
    ankleY: 0.08 * k,
    hipY: 0.93 * k,
    thigh: 0.43 * k,
    shin: 0.42 * k,
    shoulderY: 1.43 * k,
    shoulderHalf: 0.185 * k * build,
    hipHalf: 0.09 * k * build,
    upperArm: 0.29 * k,
    foreArm: 0.255 * k,
    hand: 0.085 * k,
    foot: 0.2 * k,
    headRx: 0.078 * k,
    headRy: 0.115 * k,
    headY: 1.75 * k - 0.115 * k,
    torsoDepth: 0.11 * k * build,
  };
}

export function add(a: V3, b: V3): V3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
export function sub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
export function scale(a: V3, s: number): V3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}
export function dot(a: V3, b: V3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
export function norm(a: V3): V3 {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
}
export function lerp(a: V3, b: V3, t: number): V3 {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/**
 * Two-bone inverse kinematics: the middle joint of a chain root -(l1)- mid -(l2)- end that
 * reaches `target` (or points at it when out of reach), bending towards `pole`.
 * Returns [mid, end].
 */
export function solveTwoBone(root: V3, target: V3, l1: number, l2: number, pole: V3): [V3, V3] {
  const t = sub(target, root);
  let d = Math.hypot(t[0], t[1], t[2]);
  const u = d > 1e-9 ? scale(t, 1 / d) : ([0, -1, 0] as V3);
  d = Math.min(Math.max(d, Math.abs(l1 - l2) + 1e-4), l1 + l2 - 1e-4);
  const a = (l1 * l1 - l2 * l2 + d * d) / (2 * d);
  const h = Math.sqrt(Math.max(0, l1 * l1 - a * a));
  let p = sub(pole, scale(u, dot(pole, u)));
  if (Math.hypot(p[0], p[1], p[2]) < 1e-9) p = Math.abs(u[1]) < 0.9 ? [0, 1, 0] : [0, 0, 1];
  p = norm(sub(p, scale(u, dot(p, u))));
  const mid = add(root, add(scale(u, a), scale(p, h)));
  const end = add(root, scale(u, d));
  return [mid, end];
}

/** Point on the head surface at azimuth a (0 = straight ahead, + towards the left) and height e (fraction of headRy). */
export function headPoint(sk: Skeleton, a: number, e: number, out = 1): V3 {
  const az = a + sk.headYaw;
  return [sk.head[0] + sk.headRx * out * Math.sin(az), sk.head[1] + sk.headRy * e, sk.head[2] + sk.headRx * out * Math.cos(az)];
}

/** Azimuths of the facial keypoints on the head (radians, + towards the person's left). */
export const EYE_AZ = 0.42;
export const EAR_AZ = 1.55;

/** A standing or walking person. */
export function walkingSkeleton(H: number, build: number, pose: WalkPose): Skeleton {
  const m = measures(H, build);
  const hip: Pair = [
    [m.hipHalf + pose.spread / 2, m.hipY, 0],
    [-m.hipHalf - pose.spread / 2, m.hipY, 0],
  ];
  const knee: V3[] = [];
  const ankle: V3[] = [];
  const toe: V3[] = [];
  for (let side = 0; side < 2; side++) {
    const ph = pose.phase + (side === 0 ? 0 : Math.PI);
    const alpha = pose.stride * Math.sin(ph);
    const beta = pose.kneeBend[side] + (pose.stride > 0 ? 0.05 + 2.2 * pose.stride * Math.max(0, Math.cos(ph)) : 0);
    const d1: V3 = [0, -Math.cos(alpha), Math.sin(alpha)];
    const d2: V3 = [0, -Math.cos(alpha - beta), Math.sin(alpha - beta)];
    const kn = add(hip[side], scale(d1, m.thigh));
    const an = add(kn, scale(d2, m.shin));
    // the foot points forwards, tipping down when the leg swings back
    const tip = Math.max(-0.5, Math.min(0.6, (alpha - beta) * 0.8));
    const fd = norm([0, -0.25 + Math.sin(tip) * 0.5, 1]);
    knee.push(kn);
    ankle.push(an);
    toe.push(add(an, scale(fd, m.foot)));
  }
  // stance: the lower ankle stands on the ground
  const lift = m.ankleY - Math.min(ankle[0][1], ankle[1][1]);
  const up = (p: V3): V3 => [p[0], p[1] + lift, p[2]];
  for (let s = 0; s < 2; s++) {
    hip[s] = up(hip[s]);
    knee[s] = up(knee[s]);
    ankle[s] = up(ankle[s]);
    toe[s] = up(toe[s]);
    if (toe[s][1] < 0.02) toe[s][1] = 0.02;
  }
  const sy = m.shoulderY + lift;
  const shoulder: Pair = [
    [m.shoulderHalf, sy, 0],
    [-m.shoulderHalf, sy, 0],
  ];
  const sk: Skeleton = {
    H,
    build,
    head: [0, m.headY + lift, 0.01 * m.k],
    headRx: m.headRx,
    headRy: m.headRy,
    headYaw: pose.headYaw,
    neck: [0, sy + 0.02 * m.k, 0],
    shoulder,
    elbow: [shoulder[0], shoulder[1]],
    wrist: [shoulder[0], shoulder[1]],
    handTip: [shoulder[0], shoulder[1]],
    hip,
    knee: [knee[0], knee[1]],
    ankle: [ankle[0], ankle[1]],
    toe: [toe[0], toe[1]],
    shoulderHalf: m.shoulderHalf,
    hipHalf: m.hipHalf,
    torsoDepth: m.torsoDepth,
  };
  for (let side = 0; side < 2; side++) setArm(sk, side, pose.arms[side], pose, m);
  return sk;
}

function setArm(sk: Skeleton, side: number, arm: ArmPose, pose: WalkPose, m: ReturnType<typeof measures>): void {
  const sg = side === 0 ? 1 : -1;
  const sh = sk.shoulder[side];
  let elbow: V3;
  let wrist: V3;
  const ik = (target: V3, pole: V3) => {
    [elbow, wrist] = solveTwoBone(sh, target, m.upperArm, m.foreArm, pole);
  };
  switch (arm) {
    case 'front':
      ik(add(sh, scale([-sg * 0.12, -0.36, 0.26], m.k)), [sg * 0.3, -1, -0.3]);
      break;
    case 'phone': {
      const ear = headPoint(sk, sg * EAR_AZ, -0.1, 1.1);
      ik(add(ear, scale([sg * 0.02, -0.03, 0.03], m.k)), [sg * 0.4, -1, 0.5]);
      break;
    }
    case 'wave':
      ik(add(sh, scale([sg * 0.28, 0.4, 0.1], m.k)), [sg * 1, -0.4, 0]);
      break;
    case 'hip':
      ik(add(sk.hip[side], scale([sg * 0.07, 0.1, 0.02], m.k)), [sg * 1, 0, -0.6]);
      break;
    default: {
      const legPhase = pose.phase + (side === 0 ? 0 : Math.PI);
      const swing = arm === 'swing' ? -pose.armSwing * Math.sin(legPhase) : 0.03;
      const abd = arm === 'carry' ? 0.2 : arm === 'swing' ? 0.1 : 0.08;
      const flex = arm === 'swing' ? 0.15 + 0.6 * Math.max(0, swing) : 0.08;
      const d1 = norm([sg * Math.sin(abd), -Math.cos(abd) * Math.cos(swing), Math.cos(abd) * Math.sin(swing)]);
      const d2 = norm([sg * Math.sin(abd) * 0.5, -Math.cos(swing + flex), Math.sin(swing + flex)]);
      elbow = add(sh, scale(d1, m.upperArm));
      wrist = add(elbow, scale(d2, m.foreArm));
    }
  }
  sk.elbow[side] = elbow!;
  sk.wrist[side] = wrist!;
  sk.handTip[side] = add(wrist!, scale(norm(sub(wrist!, elbow!)), m.hand));
}
