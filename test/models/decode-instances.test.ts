import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInstances, type InstanceMaps } from '../../lib/models/decode-instances.ts';

/** A 10 x 6 scene, classes 0 background, 1 person, 2 car; `paint` sets class probabilities. */
function scene(): InstanceMaps & { set: (x: number, y: number, probs: number[], dy: number, dx: number) => void } {
  const w = 10;
  const h = 6;
  const C = 3;
  const semantic = new Float32Array(w * h * C);
  for (let p = 0; p < w * h; p++) semantic[p * C] = 1;
  const m = { width: w, height: h, numClasses: C, semantic, center: new Float32Array(w * h), offset: new Float32Array(w * h * 2) };
  return {
    ...m,
    set(x, y, probs, dy, dx) {
      const p = y * w + x;
      semantic.set(probs, p * C);
      m.offset[2 * p] = dy;
      m.offset[2 * p + 1] = dx;
    },
  };
}

test('decodeInstances: thing pixels grouped to the centre their offsets point at', () => {
  const s = scene();
  // person A: x 1..3, y 1..3, centre (2, 2); person B: x 6..8, y 2..4, centre (7, 3)
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) s.set(x, y, [0.2, 0.8, 0], 2 - y, 2 - x);
  for (let y = 2; y <= 4; y++) for (let x = 6; x <= 8; x++) s.set(x, y, [0.4, 0.6, 0], 3 - y, 7 - x);
  s.center[2 * 10 + 2] = 0.9;
  s.center[3 * 10 + 7] = 0.5;
  const out = decodeInstances(s, { thingClasses: [1, 2] });
  assert.equal(out.length, 2);
  const [a, b] = out;
  assert.equal(a.classIndex, 1);
  assert.equal(a.centerX, 2);
  assert.equal(a.centerY, 2);
  assert.deepEqual(a.box, [1, 1, 3, 3]);
  assert.deepEqual([...a.pixels], [11, 12, 13, 21, 22, 23, 31, 32, 33]);
  // score = centre peak x mean probability of the class over the instance
  assert.ok(Math.abs(a.score - 0.9 * 0.8) < 1e-6);
  assert.deepEqual(b.box, [6, 2, 3, 3]);
  assert.ok(Math.abs(b.score - 0.5 * 0.6) < 1e-6);
});

test('decodeInstances: a pixel goes to the centre nearest to pixel + offset, not to the nearest centre', () => {
  const s = scene();
  s.center[2 * 10 + 2] = 0.9;
  s.center[2 * 10 + 7] = 0.8;
  // pixel (3, 2) sits next to centre (2, 2) but its offset points at (7, 2)
  s.set(3, 2, [0, 1, 0], 0, 4);
  s.set(2, 2, [0, 1, 0], 0, 0);
  s.set(7, 2, [0, 1, 0], 0, 0);
  const out = decodeInstances(s, { thingClasses: [1] });
  const byCentre = new Map(out.map((d) => [d.centerX, [...d.pixels]]));
  assert.deepEqual(byCentre.get(2), [22]);
  assert.deepEqual(byCentre.get(7), [23, 27]);
});

test('decodeInstances: class by majority vote; stuff pixels and centres without pixels give no instance', () => {
  const s = scene();
  s.center[1 * 10 + 1] = 0.7;
  s.center[4 * 10 + 8] = 0.6; // no thing pixel points here
  s.set(0, 1, [0, 0.1, 0.9], 0, 1); // car
  s.set(1, 1, [0, 0.3, 0.7], 0, 0); // car
  s.set(2, 1, [0, 0.6, 0.4], 0, -1); // person
  const out = decodeInstances(s, { thingClasses: [1, 2] });
  assert.equal(out.length, 1);
  assert.equal(out[0].classIndex, 2);
  assert.ok(Math.abs(out[0].score - 0.7 * ((0.9 + 0.7 + 0.4) / 3)) < 1e-6);
  // only class 1 as a thing: the two car pixels are not thing pixels
  const persons = decodeInstances(s, { thingClasses: [1] });
  assert.equal(persons.length, 1);
  assert.deepEqual([...persons[0].pixels], [12]);
  // below the threshold: nothing
  assert.deepEqual(decodeInstances(s, { thingClasses: [1, 2], threshold: 0.8 }), []);
});

test('decodeInstances: maxVoteDistance leaves out pixels whose offsets point at no centre', () => {
  const s = scene();
  s.center[2 * 10 + 2] = 0.9;
  s.set(2, 2, [0, 1, 0], 0, 0); // points at the centre
  s.set(3, 2, [0, 1, 0], 0, -1); // points at the centre
  s.set(6, 2, [0, 1, 0], 0, 0); // points at itself, 4 px from the centre
  const all = decodeInstances(s, { thingClasses: [1] });
  assert.deepEqual([...all[0].pixels], [22, 23, 26]);
  const near = decodeInstances(s, { thingClasses: [1], maxVoteDistance: 3 });
  assert.deepEqual([...near[0].pixels], [22, 23]);
  assert.deepEqual(near[0].box, [2, 2, 2, 1]);
});

test('decodeInstances: regressed boxes give the box and bound the mask', () => {
  const s = scene();
  s.center[2 * 10 + 2] = 0.9;
  for (const x of [1, 2, 3, 5]) s.set(x, 2, [0, 1, 0], 0, 2 - x);
  const box = new Float32Array(10 * 6 * 4);
  // at the centre (2, 2): 1 px to the left edge, 1 up, 1.5 right, 2 down -> edges x -1..3.5 (clipped at -0.5), y 1..4
  box.set([3, 1, 1.5, 2], 4 * (2 * 10 + 2));
  const [d] = decodeInstances({ ...s, box }, { thingClasses: [1] });
  // pixel-edge coordinates: x from -0.5 + 0.5 = 0 to 3.5 + 0.5 = 4, y from 1.5 to 4.5
  assert.deepEqual(d.box, [0, 1.5, 4, 3]);
  // pixel (5, 2) lies outside the box: not in the mask
  assert.deepEqual([...d.pixels], [21, 22, 23]);
  assert.throws(() => decodeInstances({ ...s, box: new Float32Array(4) }, { thingClasses: [1] }), /box map has 4 values/);
});

test('decodeInstances: checks map sizes and classes', () => {
  const s = scene();
  assert.throws(() => decodeInstances({ ...s, center: new Float32Array(3) }, { thingClasses: [1] }), /centre map has 3 values/);
  assert.throws(() => decodeInstances(s, { thingClasses: [3] }), /thing class 3/);
});
