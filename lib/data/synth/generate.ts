// One synthetic sample: lay out a street, paint it back to front, and annotate what is visible.
// A sample depends only on (seed, split, index), so samples can be made in any order.
import { projectX, projectY, scaleAt } from './camera.ts';
import { annotate, type DrawnObject, type SynthInstance } from './annotate.ts';
import { plateBoxes, type SynthPlate } from './plate-boxes.ts';
import { drawBackground, drawHood } from './background.ts';
import { riderOnBike, ridingSkeleton } from './bicycle.ts';
import { COCO_CATEGORY, LABEL } from './labels.ts';
import { drawGroundShadow, drawParts, personParts, type View } from './person.ts';
import { drawPole, drawTree } from './props.ts';
import { Canvas } from './raster.ts';
import { sampleRng } from './rng.ts';
import { layoutActors, layoutStreet, type Actor, type PersonActor, type Street } from './scene.ts';
import { walkingSkeleton } from './skeleton.ts';
import { drawCar } from './vehicle.ts';

export interface SynthSample {
  /** Cityscapes-style frame name: synth_<sequence>_<frame>. */
  name: string;
  split: string;
  index: number;
  seed: number;
  width: number;
  height: number;
  /** Interleaved RGB. */
  rgb: Uint8Array;
  /** Cityscapes label ids. */
  labelIds: Uint8Array;
  /** Cityscapes instanceIds (stuff: label id; things: label * 1000 + k; crowds: label id). */
  instanceIds: Uint16Array;
  /** Per pixel, the object index of `instances[].obj` (0: none). */
  objectIndex: Uint16Array;
  instances: SynthInstance[];
  /** The visible licence plates, in drawing order (far to near). */
  plates: SynthPlate[];
}

export interface SynthOptions {
  seed: number;
  split: string;
  index: number;
  width: number;
  height: number;
}

/** Frame name of a sample, as Cityscapes names files: <city>_<sequence:6>_<frame:6>. */
export function sampleName(index: number): string {
  return `synth_000000_${String(index).padStart(6, '0')}`;
}

export function generateSample(o: SynthOptions): SynthSample {
  if (!Number.isInteger(o.width) || !Number.isInteger(o.height) || o.width < 16 || o.height < 16) throw new RangeError(`synth: image size must be integers >= 16, got ${o.width}x${o.height}`);
  const rng = sampleRng(o.seed, o.split, o.index);
  const street = layoutStreet(rng.fork('street'), o.width, o.height);
  const actors = layoutActors(rng.fork('actors'), street);
  const c = new Canvas(o.width, o.height);
  drawBackground(c, street, rng.fork('background'));
  const objects: DrawnObject[] = [{ kind: 'person', labelId: 0, cocoCategoryId: 0, iscrowd: false, Z: 0 }];
  const newObject = (d: DrawnObject) => {
    objects.push(d);
    if (objects.length > 0xffff) throw new RangeError('synth: too many objects');
    return objects.length - 1;
  };
  // far to near
  const order = actors.map((a, i) => ({ a, i }));
  order.sort((p, q) => q.a.Z - p.a.Z || p.i - q.i);
  for (const { a } of order) drawActor(c, street, a, newObject);
  drawHood(c, street);
  applyLight(c, street);
  const { instances, instanceIds } = annotate(c, objects);
  const plates = plateBoxes(c, objects);
  return {
    name: sampleName(o.index),
    split: o.split,
    index: o.index,
    seed: o.seed,
    width: o.width,
    height: o.height,
    rgb: c.rgb,
    labelIds: c.label,
    instanceIds,
    objectIndex: c.obj,
    instances,
    plates,
  };
}

function viewOf(st: Street, X: number, Z: number, yaw: number): View {
  return { x0: projectX(st.cam, X, Z), y0: projectY(st.cam, 0, Z), s: scaleAt(st.cam, Z), yaw };
}

function drawPedestrian(c: Canvas, st: Street, p: PersonActor, label: number, obj: number) {
  const v = viewOf(st, p.X, p.Z, p.yaw);
  drawGroundShadow(c, v.x0, v.y0, 0.35 * v.s, 0.08 * v.s + 0.5, 0.72);
  const sk = walkingSkeleton(p.H, p.build, p.pose);
  const { parts, finish } = personParts(sk, p.style, v, { label, obj });
  drawParts(c, parts);
  return finish();
}

function drawActor(c: Canvas, st: Street, a: Actor, newObject: (d: DrawnObject) => number): void {
  switch (a.kind) {
    case 'tree':
      drawTree(c, st.cam, a.tree);
      return;
    case 'pole':
      drawPole(c, st.cam, a.pole);
      return;
    case 'car': {
      const d: DrawnObject = { kind: 'car', labelId: LABEL.car, cocoCategoryId: COCO_CATEGORY.car, iscrowd: false, Z: a.Z };
      const o = newObject(d);
      const plate = drawCar(c, st.cam, a.car, LABEL.car, o);
      if (plate > 0) d.plateGroup = plate;
      return;
    }
    case 'person': {
      const d: DrawnObject = { kind: 'person', labelId: LABEL.person, cocoCategoryId: COCO_CATEGORY.person, iscrowd: false, Z: a.Z };
      const o = newObject(d);
      d.render = drawPedestrian(c, st, a, LABEL.person, o);
      return;
    }
    case 'crowd': {
      const o = newObject({ kind: 'crowd', labelId: LABEL.person, cocoCategoryId: COCO_CATEGORY.person, iscrowd: true, Z: a.Z });
      const members = [...a.members].sort((p, q) => q.Z - p.Z);
      for (const m of members) drawPedestrian(c, st, m, LABEL.person, o);
      return;
    }
    case 'rider': {
      const bikeObj = newObject({ kind: 'bicycle', labelId: LABEL.bicycle, cocoCategoryId: COCO_CATEGORY.bicycle, iscrowd: false, Z: a.Z });
      const d: DrawnObject = { kind: 'rider', labelId: LABEL.rider, cocoCategoryId: COCO_CATEGORY.person, iscrowd: false, Z: a.Z };
      const riderObj = newObject(d);
      const v = viewOf(st, a.X, a.Z, a.yaw);
      drawGroundShadow(c, v.x0, v.y0, 0.7 * v.s * Math.abs(Math.sin(a.yaw)) + 0.25 * v.s, 0.1 * v.s + 0.5, 0.7);
      const sk = ridingSkeleton(a.H, a.build, a.bike, a.lean, a.headYaw);
      const { parts, finish } = riderOnBike(sk, a.style, a.bike, v, { label: LABEL.rider, obj: riderObj }, { label: LABEL.bicycle, obj: bikeObj });
      drawParts(c, parts);
      d.render = finish();
      return;
    }
  }
}

/** Global exposure and colour cast of the scene (per-channel lookup table). */
function applyLight(c: Canvas, st: Street): void {
  const luts = [0, 1, 2].map((ch) => {
    const k = st.light * st.tint[ch];
    const t = new Uint8Array(256);
    for (let v = 0; v < 256; v++) t[v] = Math.max(0, Math.min(255, Math.round(v * k)));
    return t;
  });
  const [r, g, b] = luts;
  const rgb = c.rgb;
  for (let j = 0; j < rgb.length; j += 3) {
    rgb[j] = r[rgb[j]];
    rgb[j + 1] = g[rgb[j + 1]];
    rgb[j + 2] = b[rgb[j + 2]];
  }
}
